// SPDX-License-Identifier: Apache-2.0
// GatewayReceiver: one LoRa gateway's uplink reception (SX1301-style: 8 demodulators,
// half-duplex, same-channel same-SF collisions with capture) for a discrete-event sim.
#pragma once

#include "sim/kernel/randomstream.h"
#include "sim/lorawan/airtime.h"

#include <array>
#include <cstdint>
#include <vector>

namespace otalab::sim::lorawan {

// One uplink as this gateway sees it. `rssiDbm`/`snrDb` come from linkBudget() for the
// device→gateway link (SNR at the uplink's bandwidth, no interference).
struct Uplink {
    SimTime start;             // first preamble symbol on the air
    SimDuration airtime;       // timeOnAir() of the frame
    std::uint32_t frequencyHz = 0;
    int spreadingFactor = 7;
    int bandwidthHz = 125'000;
    double rssiDbm = 0.0;
    double snrDb = 0.0;
    int payloadBytes = 0;      // PHYPayload length, for the packet error rate
    int preambleSymbols = 8;
};

enum class ReceptionOutcome : std::uint8_t {
    Received,            // demodulated, CRC good
    Collided,            // destroyed by an overlapping packet (no capture)
    BelowSensitivity,    // RSSI below the SF's sensitivity: not even detected
    NoDemodulator,       // all demodulators were busy when it started
    GatewayTransmitting, // the gateway transmitted during (part of) it: half-duplex
    Lost,                // packet error (packetErrorRate() of its SNR and length)
};
inline constexpr int kReceptionOutcomeCount = 6;
// "received", "collided", "below sensitivity", "no free demodulator", "gateway transmitting",
// "lost (packet error)".
const char* receptionOutcomeName(ReceptionOutcome outcome);

struct GatewayReceiverOptions {
    int demodulators = 8;             // SX1301/SX1302: 8 multi-SF demodulation paths
    double captureThresholdDb = 6.0;  // same SF: the stronger survives if ≥ this much stronger
    // A receiver locks on the last `lockSymbols` preamble symbols (Bor et al. 2016, LoRaSim:
    // 5); an interferer that ends before the lock point (start + (preamble − 5)·Tsym) does
    // not hurt the packet.
    int lockSymbols = 5;
    // Different SFs: quasi-orthogonal by default (no interaction). When true, a packet is
    // also lost to an overlapping packet of another SF on the same channel whose power is
    // above it by more than the SIR threshold of Croce et al., "Impact of LoRa Imperfect
    // Orthogonality: Analysis of Link-Level Performance", IEEE Comm. Letters 22(4), 2018,
    // table I (rows desired SF7..12, columns interferer SF7..12; e.g. SF7 vs SF8: −8 dB).
    bool interSfInterference = false;
    double noiseFigureDb = 6.0;       // for the sensitivity check
};

// Contract: call beginReception() at each uplink's start time and endReception() at its
// end (start + airtime), in non-decreasing time order as the event kernel does; an end
// at time t before a begin at time t means "no overlap". Capture is decided per pair of
// packets by power only (a simplification: the capture threshold applies whichever
// started first, as long as the interferer overlaps the victim after its lock point).
// Interference does not add up over several interferers (pairwise test).
// Cost: O(packets on the air at this gateway) per call; slots are reused, so no
// allocation once the largest overlap has been seen (packets are kept per channel, so
// only same-channel packets are compared). A packet too weak to hurt any
// packet the gateway could receive (≥ 125 kHz and below SF12's sensitivity minus the
// capture threshold) is never compared with others: it ends BelowSensitivity at O(1).
// Simulation thread only.
class GatewayReceiver {
public:
    explicit GatewayReceiver(RandomStream packetErrorStream, GatewayReceiverOptions options = {});

    // Registers an uplink starting now; returns its id for endReception().
    int beginReception(const Uplink& uplink);
    // Ends reception `id` (from beginReception) and releases its id; returns its fate.
    ReceptionOutcome endReception(int id);
    // The gateway transmits (a downlink) on [start, start + duration): every reception
    // overlapping that span is lost, and none starting within it is heard. One pending
    // transmission is remembered (a gateway sends one frame at a time).
    void beginTransmit(SimTime start, SimDuration duration);
    bool isTransmitting(SimTime t) const { return t >= m_txStart && t < m_txEnd; }

    int activeReceptions() const { return m_activeCount; }
    int busyDemodulators() const { return m_busyDemodulators; }
    // How many endReception() calls returned each outcome (indexed by the enum's value).
    const std::array<std::uint64_t, kReceptionOutcomeCount>& outcomeCounts() const { return m_counts; }
    const GatewayReceiverOptions& options() const { return m_options; }

private:
    enum Flag : std::uint8_t {
        FlagBelowSensitivity = 1,
        FlagNoDemodulator = 2,
        FlagTransmitting = 4,
        FlagCollided = 8,
        FlagHasDemodulator = 16,
    };
    struct Slot {
        SimTime start;
        SimTime end;
        SimTime lock;          // the interferer must overlap past this to hurt the packet
        std::uint32_t frequencyHz = 0;
        float rssiDbm = 0.0f;
        float snrDb = 0.0f;
        std::int16_t payloadBytes = 0;
        std::int8_t spreadingFactor = 0;
        std::uint8_t flags = 0;
        std::int32_t activeIndex = -1; // position in its channel's list; kFree, or kNotActive (negligible)
        std::int32_t channel = 0;      // index into m_channels
    };
    // Packets on the air on one frequency (only these can interfere with each other).
    struct Channel {
        std::uint32_t frequencyHz = 0;
        std::vector<std::int32_t> active;
    };
    std::int32_t channelIndex(std::uint32_t frequencyHz);
    static constexpr std::int32_t kFree = -1;
    static constexpr std::int32_t kNotActive = -2;

    // Whether `victim` is destroyed by `interferer` (both overlap in time).
    bool destroys(const Slot& interferer, const Slot& victim) const;

    RandomStream m_rng;
    GatewayReceiverOptions m_options;
    std::vector<Slot> m_slots;
    std::vector<std::int32_t> m_freeSlots;
    std::vector<Channel> m_channels;
    int m_activeCount = 0;
    int m_busyDemodulators = 0;
    double m_negligibleBelowDbm = 0.0; // a ≥ 125 kHz packet under this can hurt no receivable one
    SimTime m_txStart = SimTime::max();
    SimTime m_txEnd = SimTime::max();
    std::array<std::uint64_t, kReceptionOutcomeCount> m_counts{};
};

} // namespace otalab::sim::lorawan
