// SPDX-License-Identifier: Apache-2.0
// releaseFreedMemory() where the C library cannot trim its heap: nothing to do.
#include "lab/memoryrelease.h"

namespace otalab::app {

void releaseFreedMemory() {}

} // namespace otalab::app
