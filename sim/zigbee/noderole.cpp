// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/noderole.h"

namespace otalab::sim {

const char* toString(NodeRole role)
{
    switch (role) {
    case NodeRole::Coordinator: return "coordinator";
    case NodeRole::Router: return "router";
    case NodeRole::EndDevice: return "end-device";
    }
    return "?";
}

} // namespace otalab::sim
