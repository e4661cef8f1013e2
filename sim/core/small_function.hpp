#pragma once
// A move-only callable with inline storage and no heap fallback: a callback that does not
// fit is a compile error, so scheduling an event can never allocate.
#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace routelab::sim {

template <typename Signature, std::size_t Capacity = 48>
class SmallFunction;

template <typename R, typename... Args, std::size_t Capacity>
class SmallFunction<R(Args...), Capacity> {
public:
    SmallFunction() = default;

    template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, SmallFunction>>>
    SmallFunction(F&& f) {  // NOLINT(google-explicit-constructor): used like std::function
        using Fn = std::decay_t<F>;
        static_assert(sizeof(Fn) <= Capacity, "callback captures too much: capture a pointer instead");
        static_assert(alignof(Fn) <= alignof(std::max_align_t));
        static_assert(std::is_nothrow_move_constructible_v<Fn>);
        // A trivial callable is moved by copying the whole storage: zero it first so that
        // no byte copied is indeterminate (a few stores; the compiler drops the overlap).
        if constexpr (trivial<Fn>) std::memset(storage_, 0, Capacity);
        ::new (static_cast<void*>(storage_)) Fn(std::forward<F>(f));
        ops_ = &ops_for<Fn>;
    }

    SmallFunction(SmallFunction&& other) noexcept { move_from(other); }
    SmallFunction& operator=(SmallFunction&& other) noexcept {
        if (this != &other) {
            reset();
            move_from(other);
        }
        return *this;
    }
    SmallFunction(const SmallFunction&) = delete;
    SmallFunction& operator=(const SmallFunction&) = delete;
    ~SmallFunction() { reset(); }

    explicit operator bool() const { return ops_ != nullptr; }

    R operator()(Args... args) { return ops_->invoke(storage_, std::forward<Args>(args)...); }

    void reset() {
        if (ops_ != nullptr) {
            if (ops_->destroy != nullptr) ops_->destroy(storage_);
            ops_ = nullptr;
        }
    }

private:
    struct Ops {
        R (*invoke)(void*, Args&&...);
        void (*move)(void* from, void* to);
        void (*destroy)(void*);
    };

    // Callables that are trivially copyable (captures of pointers and integers, the usual
    // event) move by copying the storage and need no destructor: no indirect calls.
    template <typename Fn>
    static constexpr bool trivial = std::is_trivially_copyable_v<Fn> && std::is_trivially_destructible_v<Fn>;

    template <typename Fn>
    static constexpr Ops ops_for = trivial<Fn> ? Ops{
        [](void* self, Args&&... args) -> R { return (*static_cast<Fn*>(self))(std::forward<Args>(args)...); },
        nullptr,
        nullptr,
    } : Ops{
        [](void* self, Args&&... args) -> R { return (*static_cast<Fn*>(self))(std::forward<Args>(args)...); },
        [](void* from, void* to) {
            ::new (to) Fn(std::move(*static_cast<Fn*>(from)));
            static_cast<Fn*>(from)->~Fn();
        },
        [](void* self) { static_cast<Fn*>(self)->~Fn(); },
    };

    // A fixed-size copy compiles to a few moves (a copy of `sizeof(Fn)` bytes chosen at run
    // time would be a libc call).
    void copy_storage(const SmallFunction& other) { std::memcpy(storage_, other.storage_, Capacity); }

    void move_from(SmallFunction& other) {
        if (other.ops_ != nullptr) {
            if (other.ops_->move != nullptr) other.ops_->move(other.storage_, storage_);
            else copy_storage(other);
            ops_ = other.ops_;
            other.ops_ = nullptr;
        }
    }

    alignas(std::max_align_t) unsigned char storage_[Capacity];
    const Ops* ops_ = nullptr;
};

}  // namespace routelab::sim
