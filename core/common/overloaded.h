// SPDX-License-Identifier: Apache-2.0
// Overloaded: std::visit over a set of lambdas, e.g.
//   std::visit(Overloaded{[](const A&) {...}, [](const B&) {...}}, variant);
#pragma once

namespace otalab {

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;  // clang 16 does not deduce aggregate bases

} // namespace otalab
