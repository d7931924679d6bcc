// SPDX-License-Identifier: Apache-2.0
// TraceWriter: observer writing a JSONL event trace and a running trace fingerprint.
#pragma once

#include "sim/kernel/tracehash.h"
#include "sim/kernel/simobserver.h"

#include <cstdint>
#include <iosfwd>
#include <string>

namespace otalab::sim {

// Writes one JSON object per line and folds every record into 64-bit TraceHash
// fingerprints. Two runs are "the same" iff their fingerprints match; keep one per
// bundled scenario in the tests (OMNeT++ fingerprint practice).
//
// Two hashes, combined by fingerprint():
//   modelFingerprint(): the model records (state, frame, energy) in call order — what a
//     user sees: frames on the air, state machines, energy. An optimisation that removes
//     events nobody can observe must leave it unchanged.
//   eventFingerprint(): the executed events (time, node, kind, payload) in order — how
//     the kernel got there; it changes whenever the event schedule does.
//
// Fingerprinted, per record, in call order (integers little-endian):
//   event:  'E', time ns (8), node (4), kind (4), arg0 (8), arg1 (8)
//   state:  'S', time (8), node (4), machine (2), from (2), to (2)
//   frame:  'F', time (8), airtime (8), src (4), dst (4), fate (1), length (4), bytes
//   energy: 'J', time (8), duration (8), node (4), component (2), state (2),
//           joules as IEEE-754 bits (8)
// Progress and run start/finish are not fingerprinted (they depend on run slicing).
//
// JSONL lines (times in integer nanoseconds, node null for kNoNode):
//   {"type":"event","t":..,"node":..,"kind":..,"arg0":..,"arg1":..}
//   {"type":"state","t":..,"node":..,"machine":..,"from":..,"to":..}
//   {"type":"frame","t":..,"airtime":..,"src":..,"dst":..,"pan":..,"channel":..,
//    "fate":"transmitted|delivered|lost|collided","rssi":..,"lqi":..,"bytes":"hex"}
//   {"type":"energy","t":..,"duration":..,"node":..,"component":..,"state":..,"joules":..}
// Simulation thread only; the stream must outlive the writer.
class TraceWriter final : public SimObserver {
public:
    // Which lines go to the stream; the fingerprint always covers everything.
    enum class Detail : std::uint8_t {
        AllRecords,       // event lines too (large: one line per executed event)
        ModelRecordsOnly, // only state/frame/energy lines
    };

    // Fingerprint only, no output.
    TraceWriter();
    // `out` may be null (fingerprint only).
    explicit TraceWriter(std::ostream* out, Detail detail = Detail::AllRecords);

    // Event and state records are the most frequent: their hashing is inline here, so
    // ObserverList's direct call (TraceWriter is final) costs no call at all; only the
    // JSONL formatting is out of line.
    void onEventExecuted(const Event& event) override
    {
        const EventData& d = event.data;
        // Fields packed into as few words as they fit (the hash is a dependent chain of one
        // multiply per word, on every record of a run): tag and small fields share a word.
        m_eventHash.addWord(static_cast<std::uint64_t>(event.time.nanos()));
        m_eventHash.addWord(std::uint64_t{'E'} << 56 ^ std::uint64_t{d.kind} << 32 ^ d.node);
        m_eventHash.addWord(d.arg0);
        m_eventHash.addWord(d.arg1);
        ++m_records;
        if (m_out && m_detail == Detail::AllRecords) [[unlikely]]
            writeEventLine(event);
    }
    void onStateChange(const StateChange& c) override
    {
        m_modelHash.addWord(static_cast<std::uint64_t>(c.time.nanos()));
        m_modelHash.addWord(std::uint64_t{'S'} << 56 ^ std::uint64_t{c.machine} << 32 ^ c.node);
        m_modelHash.addWord(std::uint64_t{c.from} << 16 ^ c.to);
        ++m_records;
        if (m_out) [[unlikely]]
            writeStateLine(c);
    }
    void onFrame(const FrameRecord& frame) override;
    void onEnergy(const EnergySample& sample) override;

    // Both traces: mix(model, events); an empty trace keeps TraceHash's empty value.
    std::uint64_t fingerprint() const
    {
        if (m_records == 0)
            return TraceHash{}.value();
        TraceHash h;
        h.addWord(m_modelHash.value());
        h.addWord(m_eventHash.value());
        return h.value();
    }
    std::uint64_t modelFingerprint() const { return m_modelHash.value(); }
    std::uint64_t eventFingerprint() const { return m_eventHash.value(); }
    // "0x0123456789abcdef"
    std::string fingerprintHex() const;
    std::uint64_t recordCount() const { return m_records; }

private:
    void writeLine(const std::string& line);
    void writeEventLine(const Event& event);
    void writeStateLine(const StateChange& change);

    std::ostream* m_out = nullptr;
    Detail m_detail = Detail::AllRecords;
    TraceHash m_modelHash; // state, frame, energy records
    TraceHash m_eventHash; // executed events
    std::uint64_t m_records = 0;
    std::string m_line; // reused buffer: no allocation per record once warm
};

} // namespace otalab::sim
