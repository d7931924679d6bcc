// SPDX-License-Identifier: Apache-2.0
// A board's refusal of one client command, in words that use what the link already knows.
// MGMT_ERR_ENOTSUP (v1 rc 8) means either "no such group" or "no such command in a group
// the firmware has": Zephyr's SMP server answers both alike. Only the client can tell them
// apart — by whether the board answered another command of the same group earlier.
#pragma once

#include "core/smp/smp_error.h"

#include <QString>
#include <cstdint>

namespace otalab::core::smp {

struct RefusalContext {
    QString operation;            // the refused operation as the user knows it: "image test"
    std::uint16_t group = 0;      // its request header's group, command and op
    std::uint8_t command = 0;
    bool write = false;           // Op::Write (image test/confirm), else Op::Read (image list)
    bool groupAnswered = false;   // the board answered another command of `group` on this link
};

// describeError(error), except for MGMT_ERR_ENOTSUP: with groupAnswered it says the board's
// configuration leaves the operation out (naming the Zephyr Kconfig option that controls
// it, where one is known); without, it advises enabling the group (CONFIG_MCUMGR_GRP_IMG,
// CONFIG_MCUMGR_GRP_OS) and then the command's option. A "rsn" the board sent is appended.
QString describeRefusal(const DeviceError& error, const RefusalContext& context);

} // namespace otalab::core::smp
