// SPDX-License-Identifier: Apache-2.0
// AlignedAllocator: std::allocator-compatible allocator with a fixed over-alignment.
#pragma once

#include <cstddef>
#include <new>

namespace otalab::sim {

// Lets a std::vector start on a cache-line boundary (EventQueue keeps each group of
// four heap siblings in one 64-byte line).
template <typename T, std::size_t Alignment>
class AlignedAllocator {
public:
    using value_type = T;
    template <typename U>
    struct rebind {
        using other = AlignedAllocator<U, Alignment>;
    };

    AlignedAllocator() = default;
    template <typename U>
    AlignedAllocator(const AlignedAllocator<U, Alignment>&) noexcept {}

    T* allocate(std::size_t n)
    {
        return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{Alignment}));
    }
    void deallocate(T* p, std::size_t n) noexcept
    {
        ::operator delete(p, n * sizeof(T), std::align_val_t{Alignment});
    }

    template <typename U>
    bool operator==(const AlignedAllocator<U, Alignment>&) const noexcept { return true; }
};

} // namespace otalab::sim
