// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/nwkframebuffer.h"

#include <algorithm>

namespace otalab::sim {

bool NwkFrameBuffer::assign(std::span<const std::uint8_t> frame)
{
    if (frame.size() > bytes.size())
        return false;
    std::copy(frame.begin(), frame.end(), bytes.begin());
    length = static_cast<std::uint8_t>(frame.size());
    return true;
}

} // namespace otalab::sim
