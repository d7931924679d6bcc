// SPDX-License-Identifier: Apache-2.0
// releaseFreedMemory(): hand memory the program has freed back to the operating system.
#pragma once

namespace otalab::app {

// After a large structure is freed (a 64,000-node rollout, two million log rows), the C
// library keeps the pages for reuse and the process's resident size stays at its peak.
// This returns the free pages of every heap arena (glibc's malloc_trim(0)); a no-op
// where the C library has no such call. Cost: one walk over the free lists (a few ms
// on a large heap). Any thread.
void releaseFreedMemory();

} // namespace otalab::app
