// SPDX-License-Identifier: Apache-2.0
// Rejoin of a sleepy end device that lost its parent (NwkModelConfig::rejoin): the stack's
// timing constants, the NWK rejoin command frame (payloads: nwkcommand.h), the ZED's rejoin
// state and the network services a rejoin needs (candidate parents, the tree's parent map,
// the new parent's node).
#pragma once

#include "sim/kernel/simtime.h"
#include "sim/zigbee/nwkcommand.h"
#include "sim/zigbee/nwkframebuffer.h"
#include "sim/zigbee/nwkmodelconfig.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace otalab::sim {

class ZigbeeNode;

// Silicon Labs EmberZNet / Gecko SDK defaults (protocol/zigbee/app/framework/plugin/
// end-device-support/config/end-device-support-config.h and end-device-move.c):
//  * EMBER_AF_PLUGIN_END_DEVICE_SUPPORT_MAX_MISSED_POLLS = 3: "the maximum number of missed
//    MAC data polls that will trigger a move (rejoin)" — consecutive polls not ACKed
//    (emAfPollCompleteHandler counts them, a good poll resets the count);
//  * EMBER_AF_REJOIN_ATTEMPTS_MAX = 3: sequential move attempts before giving up (255 =
//    never stop); a successful rejoin resets the count;
//  * MOVE_DELAY_QS = 10 * 4 quarter seconds: the wait before the next move attempt.
inline constexpr std::uint8_t kEmberMaxMissedPolls = 3;
inline constexpr std::uint8_t kEmberRejoinAttemptsMax = 3;
inline constexpr std::uint8_t kRejoinNeverGiveUp = 0xFF;
inline constexpr std::int64_t kEmberMoveDelayMs = 10'000;
// After its rejoin request is acknowledged, a sleepy device polls the candidate for the
// rejoin response after macResponseWaitTime (IEEE 802.15.4-2006 Table 86:
// aResponseWaitTime = 32 × aBaseSuperframeDuration = 30 720 symbols = 491.52 ms), the
// wait 802.15.4 association uses for the association response (7.5.3.1); Zigbee R22
// 3.6.1.4.2 has a rx-off-when-idle device poll its new parent for the rejoin response.
inline constexpr SimTime kRejoinResponseWait = SimTime::fromMicros(30'720 * 16);

// A rejoin command frame of this model: NWK header (frame type 1 = command, 3.3.1.1.1;
// discover route suppressed, radius 1: rejoin commands go one hop, 3.4.6.2 / 3.4.7.2) |
// the command (NwkCommand, nwkcommand.h: the one codec of NWK command payloads, with
// NwkRejoinRequest 3.4.6 / NwkRejoinResponse 3.4.7). Simplification: real rejoin requests
// also carry the source IEEE address in the NWK header (3.4.6.2, source IEEE bit);
// NwkHeader models no IEEE fields, and security is the network's (modelled airtime or
// sealed on capture).
struct RejoinFrame {
    static void encode(std::uint16_t src, std::uint16_t dst, std::uint8_t sequence, const NwkCommand& command,
                       NwkFrameBuffer& out);
    // The command when `frame` (a MAC payload) is a NWK command frame carrying a rejoin
    // request or response of exactly that command's length; nullopt otherwise (data frames
    // and the other NWK commands included).
    static std::optional<NwkCommand> decode(std::span<const std::uint8_t> frame);
};

// What rejoins need from the network (ZigbeeNetwork implements it).
class RejoinDirectory {
public:
    // Routers and the coordinator that `endDevice` hears and that hear it (the channel's
    // hearing), best first, without `exclude` (the lost parent).
    virtual std::vector<std::uint16_t> rejoinCandidates(std::uint16_t endDevice, std::uint16_t exclude) const = 0;
    // `router` accepts `endDevice` as its child: the tree's parent map changes (routes to the
    // device now go through `router`). Returns false when the tree refuses it.
    virtual bool acceptRejoin(std::uint16_t endDevice, std::uint16_t router) = 0;
    // The node with short address `router` (nullptr if none): a rejoined end device's new
    // parent, for ZigbeeNode::setParentNode (closed-form idle polls).
    virtual ZigbeeNode* parentNode(std::uint16_t router) = 0;

protected:
    ~RejoinDirectory() = default;
};

// The rejoin state of one sleepy end device (what ZigbeeNode's rejoin functions drive).
class ZedRejoin {
public:
    enum class Phase : std::uint8_t {
        Attached,          // has a parent, polls it
        AwaitRequestAck,   // rejoin request handed to the MAC
        AwaitResponsePoll, // request ACKed; waiting kRejoinResponseWait before polling
        AwaitResponse,     // the candidate's ACK had frame pending: receiver on for the response
        BackingOff,        // every candidate failed: the next move after retryDelay()
        GaveUp,            // attemptsMax moves failed: orphaned
    };

    explicit ZedRejoin(const RejoinSettings& settings);

    std::uint8_t pollFailureLimit() const;
    std::uint8_t attemptsMax() const;
    SimTime retryDelay() const;

    // A poll's outcome (Attached only); true when the missed-poll limit is reached.
    bool pollResult(bool acked);
    // A move starts with these candidates (best first).
    void begin(std::vector<std::uint16_t> candidates, SimTime now);
    std::optional<std::uint16_t> candidate() const;
    // The current candidate failed: the next one, or nullopt when none is left (the move
    // failed; phase becomes BackingOff or GaveUp).
    std::optional<std::uint16_t> next();
    // The candidate answered SUCCESS: attached to it; returns the move's duration.
    SimTime succeeded(SimTime now);

    Phase phase() const { return m_phase; }
    void setPhase(Phase phase) { m_phase = phase; }
    bool active() const { return m_phase != Phase::Attached; }
    std::uint8_t missedPolls() const { return m_missedPolls; }

private:
    void moveFailed();

    RejoinSettings m_settings;
    Phase m_phase = Phase::Attached;
    std::uint8_t m_missedPolls = 0;
    std::uint8_t m_attempts = 0;
    std::vector<std::uint16_t> m_candidates;
    std::size_t m_index = 0;
    SimTime m_lostAt;
};

} // namespace otalab::sim
