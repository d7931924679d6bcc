// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/rejoin.h"

#include "sim/zigbee/nwkheader.h"

#include <utility>

namespace otalab::sim {

namespace {

constexpr std::size_t kRequestBytes = 2;  // command id | capability information
constexpr std::size_t kResponseBytes = 4; // command id | network address | status

void encodeCommand(std::uint16_t src, std::uint16_t dst, std::uint8_t sequence, std::span<const std::uint8_t> command,
                   NwkFrameBuffer& out)
{
    NwkHeader nwk;
    nwk.frameType = NwkFrameType::Command;
    nwk.discoverRoute = NwkDiscoverRoute::Suppress;
    nwk.dst = dst;
    nwk.src = src;
    nwk.radius = 1;
    nwk.sequence = sequence;
    std::span<std::uint8_t> bytes(out.bytes);
    nwk.encode(bytes);
    for (std::size_t i = 0; i < command.size(); ++i)
        bytes[NwkHeader::kBytes + i] = command[i];
    out.length = static_cast<std::uint8_t>(NwkHeader::kBytes + command.size());
}

} // namespace

void RejoinCommand::encodeRequest(std::uint16_t src, std::uint16_t dst, std::uint8_t sequence, NwkFrameBuffer& out)
{
    const std::uint8_t command[kRequestBytes]{kNwkCommandRejoinRequest, kSleepyEndDeviceCapability};
    encodeCommand(src, dst, sequence, command, out);
}

void RejoinCommand::encodeResponse(std::uint16_t src, std::uint16_t dst, std::uint8_t sequence,
                                   const RejoinResponse& response, NwkFrameBuffer& out)
{
    const std::uint8_t command[kResponseBytes]{kNwkCommandRejoinResponse,
                                               static_cast<std::uint8_t>(response.networkAddress & 0xFF),
                                               static_cast<std::uint8_t>(response.networkAddress >> 8),
                                               response.status};
    encodeCommand(src, dst, sequence, command, out);
}

std::optional<std::uint8_t> RejoinCommand::rejoinCommandOf(std::span<const std::uint8_t> frame)
{
    if (frame.size() < NwkHeader::kBytes + 1 || (frame[0] & 0x03) != static_cast<std::uint8_t>(NwkFrameType::Command))
        return std::nullopt;
    const std::uint8_t id = frame[NwkHeader::kBytes];
    const std::size_t size = frame.size() - NwkHeader::kBytes;
    if (id == kNwkCommandRejoinRequest && size == kRequestBytes)
        return id;
    if (id == kNwkCommandRejoinResponse && size == kResponseBytes)
        return id;
    return std::nullopt;
}

std::optional<RejoinResponse> RejoinCommand::decodeResponse(std::span<const std::uint8_t> frame)
{
    if (rejoinCommandOf(frame) != kNwkCommandRejoinResponse)
        return std::nullopt;
    const std::size_t at = NwkHeader::kBytes + 1;
    return RejoinResponse{static_cast<std::uint16_t>(frame[at] | (frame[at + 1] << 8)), frame[at + 2]};
}

ZedRejoin::ZedRejoin(const RejoinSettings& settings)
    : m_settings(settings)
{
}

std::uint8_t ZedRejoin::pollFailureLimit() const
{
    return m_settings.pollFailuresBeforeRejoin ? m_settings.pollFailuresBeforeRejoin : kEmberMaxMissedPolls;
}

std::uint8_t ZedRejoin::attemptsMax() const
{
    return m_settings.attemptsMax ? m_settings.attemptsMax : kEmberRejoinAttemptsMax;
}

SimTime ZedRejoin::retryDelay() const
{
    return SimTime::fromMillis(m_settings.retryDelayMs > 0 ? m_settings.retryDelayMs : kEmberMoveDelayMs);
}

bool ZedRejoin::pollResult(bool acked)
{
    if (m_phase != Phase::Attached)
        return false;
    if (acked) {
        m_missedPolls = 0;
        return false;
    }
    if (m_missedPolls < 0xFF)
        ++m_missedPolls;
    return m_missedPolls >= pollFailureLimit();
}

void ZedRejoin::begin(std::vector<std::uint16_t> candidates, SimTime now)
{
    if (m_phase == Phase::Attached)
        m_lostAt = now;
    m_candidates = std::move(candidates);
    m_index = 0;
    if (m_candidates.empty())
        moveFailed();
    else
        m_phase = Phase::AwaitRequestAck;
}

std::optional<std::uint16_t> ZedRejoin::candidate() const
{
    if (m_index >= m_candidates.size())
        return std::nullopt;
    return m_candidates[m_index];
}

std::optional<std::uint16_t> ZedRejoin::next()
{
    ++m_index;
    if (m_index >= m_candidates.size()) {
        moveFailed();
        return std::nullopt;
    }
    m_phase = Phase::AwaitRequestAck;
    return m_candidates[m_index];
}

void ZedRejoin::moveFailed()
{
    ++m_attempts;
    m_phase = attemptsMax() != kRejoinNeverGiveUp && m_attempts >= attemptsMax() ? Phase::GaveUp : Phase::BackingOff;
}

SimTime ZedRejoin::succeeded(SimTime now)
{
    m_phase = Phase::Attached;
    m_missedPolls = 0;
    m_attempts = 0;
    m_candidates.clear();
    m_index = 0;
    return now - m_lostAt;
}

} // namespace otalab::sim
