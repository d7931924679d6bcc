// SPDX-License-Identifier: Apache-2.0
// The SMP groups a board has shown it has, on one link. A group counts once the board
// answered one of its commands with success, or with that group's own v2 error code (only
// the group's handler writes those). A generic MGMT_ERR refusal proves nothing: Zephyr's
// SMP server answers MGMT_ERR_ENOTSUP alike for a group it lacks and for a command the
// group leaves out (smp.c: no handler found → ENOTSUP).
#pragma once

#include "core/smp/smp_error.h"

#include <QList>
#include <cstdint>
#include <optional>

namespace otalab::core::smp {

class AnsweredGroups {
public:
    // Records the board's answer to a command of `group` (the response header's group);
    // `error` is the rc/err the answer carried, nullopt for success.
    void record(std::uint16_t group, const std::optional<DeviceError>& error)
    {
        const bool handled = !error || (error->group && *error->group == int(group));
        if (handled && !m_groups.contains(group))
            m_groups.append(group);
    }
    // Adds what an earlier operation on the same link learned.
    void merge(const AnsweredGroups& earlier)
    {
        for (std::uint16_t group : earlier.m_groups)
            if (!m_groups.contains(group))
                m_groups.append(group);
    }
    bool contains(std::uint16_t group) const { return m_groups.contains(group); }
    bool isEmpty() const { return m_groups.isEmpty(); }

private:
    QList<std::uint16_t> m_groups;   // in the order they first answered
};

} // namespace otalab::core::smp
