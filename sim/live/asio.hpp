#pragma once
// The one way sim/live includes Boost.Asio. Boost 1.74's awaitable.hpp uses std::exchange
// without including <utility>, which GCC 12 in C++20 mode rejects when an Asio header comes
// first; including it here first avoids that everywhere (build-facts.md).
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
