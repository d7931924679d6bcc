// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/rejoin.h"

#include "sim/zigbee/nwkheader.h"

#include <utility>

namespace otalab::sim {

void RejoinFrame::encode(std::uint16_t src, std::uint16_t dst, std::uint8_t sequence, const NwkCommand& command,
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
    std::size_t n = nwk.encode(bytes);
    n += command.encode(bytes.subspan(n));
    out.length = static_cast<std::uint8_t>(n);
}

std::optional<NwkCommand> RejoinFrame::decode(std::span<const std::uint8_t> frame)
{
    if (frame.size() < NwkHeader::kBytes + 1 || (frame[0] & 0x03) != static_cast<std::uint8_t>(NwkFrameType::Command))
        return std::nullopt;
    const std::span<const std::uint8_t> payload = frame.subspan(NwkHeader::kBytes);
    const auto id = static_cast<NwkCommandId>(payload[0]);
    const bool rejoin = (id == NwkCommandId::RejoinRequest && payload.size() == NwkCommand::kRejoinRequestBytes)
                     || (id == NwkCommandId::RejoinResponse && payload.size() == NwkCommand::kRejoinResponseBytes);
    if (!rejoin)
        return std::nullopt;
    Result<NwkCommand> command = NwkCommand::decode(payload);
    if (!command)
        return std::nullopt;
    return *command;
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
