// SPDX-License-Identifier: Apache-2.0
// EventProfile: counts executed events per (handler class, event kind) — where a run's events go.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <typeindex>
#include <utility>

namespace otalab::sim {

class EventHandler;

// Diagnostic only: the Simulator counts into it when one is attached
// (Simulator::setEventProfile, or OTALAB_EVENT_PROFILE=1 in the environment, which
// prints the table to stderr when the Simulator is destroyed). Counting never changes
// what runs. Simulation thread only.
class EventProfile {
public:
    void count(const EventHandler& target, std::uint32_t kind);
    std::uint64_t total() const { return m_total; }
    // Count of one (demangled handler class, kind); 0 if none.
    std::uint64_t countOf(const std::string& handlerClass, std::uint32_t kind) const;
    // "handler class  kind  events  share", largest first; `perUnit` > 0 adds a column
    // of events per unit (e.g. per image block delivered).
    void print(std::FILE* out, double perUnit = 0.0, const char* unitName = "unit") const;

private:
    std::map<std::pair<std::type_index, std::uint32_t>, std::uint64_t> m_counts;
    std::uint64_t m_total = 0;
};

} // namespace otalab::sim
