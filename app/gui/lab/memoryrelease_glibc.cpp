// SPDX-License-Identifier: Apache-2.0
// releaseFreedMemory() on glibc (chosen by app/gui/CMakeLists.txt when malloc_trim exists).
#include "lab/memoryrelease.h"

#include <malloc.h>

namespace otalab::app {

void releaseFreedMemory()
{
    malloc_trim(0);
}

} // namespace otalab::app
