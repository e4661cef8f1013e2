// FrameBudget: charges and releases add up, the peak is kept, and released bytes wake
// waiters in the order they started waiting, as many as the room takes one read each.
#include <catch2/catch.hpp>

#include <vector>

#include "sim/live/frame_budget.hpp"

using routelab::live::FrameBudget;

TEST_CASE("the budget counts what is charged and keeps the peak") {
    FrameBudget budget(1000, 100);
    budget.charge(600);
    budget.charge(500);
    CHECK(budget.used() == 1100);   // a read may overshoot; the caller then waits
    CHECK(budget.full());
    budget.release(700);
    CHECK(budget.used() == 400);
    CHECK(budget.peak() == 1100);
    CHECK_FALSE(budget.full());
}

TEST_CASE("released bytes wake waiters in order, one read of room each") {
    FrameBudget budget(1000, 100);
    budget.charge(1000);
    std::vector<int> woken;
    for (int id = 0; id < 5; ++id) budget.wait(static_cast<std::uint64_t>(id), [&woken, id] { woken.push_back(id); });
    budget.wait(1, [&woken] { woken.push_back(11); });   // waits again: moves to the back
    CHECK(budget.waiting() == 5);
    budget.release(50);   // some room: the first waiter only
    CHECK(woken == std::vector<int>{0});
    budget.release(250);   // used 700: room for three reads
    CHECK(woken == std::vector<int>{0, 2, 3, 4});
    budget.cancel(1);
    budget.release(700);
    CHECK(woken == std::vector<int>{0, 2, 3, 4});
    CHECK(budget.waiting() == 0);
}

TEST_CASE("a full budget wakes nobody") {
    FrameBudget budget(100, 10);
    budget.charge(100);
    bool woken = false;
    budget.wait(7, [&woken] { woken = true; });
    budget.charge(0);
    budget.release(0);
    CHECK_FALSE(woken);
    budget.release(1);
    CHECK(woken);
}
