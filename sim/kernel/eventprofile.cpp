// SPDX-License-Identifier: Apache-2.0
#include "sim/kernel/eventprofile.h"

#include "sim/kernel/eventhandler.h"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <vector>

namespace otalab::sim {

namespace {

std::string demangle(const char* name)
{
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> out(abi::__cxa_demangle(name, nullptr, nullptr, &status), std::free);
    std::string s = status == 0 && out ? out.get() : name;
    for (const char* prefix : {"otalab::sim::", "otalab::"}) {
        if (s.rfind(prefix, 0) == 0)
            s.erase(0, std::char_traits<char>::length(prefix));
    }
    return s;
}

} // namespace

void EventProfile::count(const EventHandler& target, std::uint32_t kind)
{
    ++m_counts[{std::type_index(typeid(target)), kind}];
    ++m_total;
}

std::uint64_t EventProfile::countOf(const std::string& handlerClass, std::uint32_t kind) const
{
    for (const auto& [key, n] : m_counts) {
        if (key.second == kind && demangle(key.first.name()) == handlerClass)
            return n;
    }
    return 0;
}

void EventProfile::print(std::FILE* out, double perUnit, const char* unitName) const
{
    std::vector<std::pair<std::string, std::pair<std::uint32_t, std::uint64_t>>> rows;
    for (const auto& [key, n] : m_counts)
        rows.push_back({demangle(key.first.name()), {key.second, n}});
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.second > b.second.second; });
    std::fprintf(out, "%-28s %5s %14s %7s", "handler", "kind", "events", "share");
    if (perUnit > 0)
        std::fprintf(out, " %10s", (std::string("per ") + unitName).c_str());
    std::fprintf(out, "\n");
    for (const auto& [name, kn] : rows) {
        std::fprintf(out, "%-28s %5u %14llu %6.2f%%", name.c_str(), kn.first, static_cast<unsigned long long>(kn.second),
                     m_total ? 100.0 * static_cast<double>(kn.second) / static_cast<double>(m_total) : 0.0);
        if (perUnit > 0)
            std::fprintf(out, " %10.2f", static_cast<double>(kn.second) / perUnit);
        std::fprintf(out, "\n");
    }
    std::fprintf(out, "%-28s %5s %14llu %7s", "total", "", static_cast<unsigned long long>(m_total), "100%");
    if (perUnit > 0)
        std::fprintf(out, " %10.2f", static_cast<double>(m_total) / perUnit);
    std::fprintf(out, "\n");
}

} // namespace otalab::sim
