// SPDX-License-Identifier: Apache-2.0
// FragDecoder: reassembles one TS004 fragmentation session's data block from
// DataFragment payloads (frame counter + FragSize bytes), repairing losses with the
// parity frames (FecSystem's elimination over the missing fragments only).
//
// Memory: the fragment store (M x FragSize bytes, which is where the image ends up) plus
// the elimination: the spec's l(l+1)/16 + 2l bytes for l losses (triangle + column
// list) and a few bitmaps (M/8 + l/8 bytes); memoryBytes() reports what is held.
//
// Compared with Semtech's decoders (LoRaMac-node FragDecoder.c, LBM v4.8
// fragmentation_helper_v2.0.0.c):
//  - matched: parity line n = counter - M (both versions, FecVersion chosen by the
//    session), the column order (missing fragments ascending), the triangular row
//    storage, the padding being part of the last fragment and of the parity, and that
//    a v1 stream fed to a v2 decoder (or the reverse) decodes to wrong data without
//    noticing — only the v2 data-block MIC (datablockintegrity.h) catches that.
//  - fixed: counter 0 (Semtech writes fragment "-1") is rejected; counters above 16383
//    are rejected; a payload whose length is not FragSize is rejected (Semtech copies
//    FragSize bytes whatever arrived); an uncoded fragment that arrives after a later one
//    or after parity frames is used (Semtech drops it) — before the first parity frame
//    it is stored, afterwards it enters the elimination as a unit row; too many losses
//    for the memory budget refuses that parity frame but keeps the session open, so a
//    repair round's uncoded fragments can still bring the losses under the budget
//    (Semtech ends the session with MatrixError).
#pragma once

#include "core/common/error.h"
#include "core/lorawan/fecsystem.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace otalab::core::lorawan {

// What a FragSessionSetupReq tells the device about the data block.
struct FragSessionShape {
    std::uint32_t fragmentCount = 0; // M, 1..16383 (NbFrag)
    std::uint32_t fragmentSize = 0;  // bytes per fragment, 1..255 (FragSize)
    std::uint32_t padding = 0;       // zero bytes after the data in the last fragment (< FragSize)
    FecVersion version = FecVersion::V2;
    std::uint32_t dataSize() const { return fragmentCount * fragmentSize - padding; }
};

class FragDecoder {
public:
    enum class State { Incomplete, Complete, TooManyLosses, Rejected };
    // The answer to one add(); `state` is about this frame: Rejected and TooManyLosses
    // leave the decoder as it was (still incomplete).
    struct Status {
        State state = State::Incomplete;
        std::uint32_t missing = 0;   // fragments still unknown
        std::uint32_t received = 0;  // frames taken in (distinct uncoded + parity)
        std::uint32_t losses = 0;    // TooManyLosses: fragments missing when parity began
        std::uint32_t maxLosses = 0; // TooManyLosses: the decoder's budget
        QString reason;              // Rejected: what was wrong with the frame
    };

    static constexpr std::uint32_t kAnyLosses = kMaxFragmentCounter;

    // Fails for M outside 1..16383, FragSize outside 1..255 or padding >= FragSize.
    // maxLosses: the l this decoder has memory for (default: any loss pattern fits).
    static Result<FragDecoder> create(const FragSessionShape& shape, std::uint32_t maxLosses = kAnyLosses);

    // One DataFragment: counter N (1..M uncoded, M+n parity line n) and its payload.
    Status add(std::uint32_t counter, QByteArrayView payload);
    Status status() const;
    bool isComplete() const { return m_system.complete(); }
    // The data block without padding; empty until complete.
    QByteArray data() const;
    const FragSessionShape& shape() const { return m_shape; }
    std::uint32_t receivedCount() const { return m_system.uncodedReceived() + m_parityReceived; }
    std::uint32_t missingCount() const { return m_system.missingCount(); }
    std::size_t memoryBytes() const;
    // The TS004 annex's decoder memory for l tolerated losses: l(l+1)/16 + 2l bytes.
    static std::size_t specMemoryBytes(std::uint32_t l) { return (std::size_t{l} * (l + 1) + 15) / 16 + 2 * std::size_t{l}; }

private:
    FragDecoder(const FragSessionShape& shape, std::uint32_t maxLosses);
    char* slot(std::uint32_t fragment) { return m_store.data() + std::size_t{fragment} * m_shape.fragmentSize; }
    void xorInto(char* dst, const char* src) const;
    void finish();
    Status statusWith(State state) const;

    FragSessionShape m_shape;
    FecSystem m_system;
    QByteArray m_store; // M x FragSize: received fragments, then rows' payloads, then the image
    std::uint32_t m_parityReceived = 0;
    std::uint32_t m_refusedLosses = 0;
    bool m_solved = false;
};

} // namespace otalab::core::lorawan
