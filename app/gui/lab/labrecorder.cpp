// SPDX-License-Identifier: Apache-2.0
// LabRecorder: state tracking and cheap frame classification on the simulation thread.
#include "lab/labrecorder.h"

#include <algorithm>

#include "sim/zigbee/otahostbase.h"

namespace otalab::app {
namespace {

constexpr std::size_t kMacHeader = 9;   // FCF | DSN | PAN | dst | src (short addresses, PAN compression)
constexpr std::size_t kNwkHeader = 8;
constexpr std::size_t kApsHeader = 8;
constexpr std::size_t kFcs = 2;

} // namespace

LabFrameInfo classifyLabFrame(std::span<const std::uint8_t> mpdu)
{
    LabFrameInfo info;
    if (mpdu.size() < 3)
        return info;
    info.macType = mpdu[0] & 0x07;
    if (info.macType == 3) {  // MAC command: first payload octet is the command id
        info.dataRequest = mpdu.size() > kMacHeader && mpdu[kMacHeader] == 0x04;
        return info;
    }
    if (info.macType != 1)
        return info;
    constexpr std::size_t aps = kMacHeader + kNwkHeader;
    constexpr std::size_t zcl = aps + kApsHeader;
    if (mpdu.size() < zcl + 3 + kFcs)
        return info;
    if ((mpdu[kMacHeader] & 0x03) != 0)  // NWK frame type: data
        return info;
    if ((mpdu[aps] & 0x03) != 0)  // APS frame type: data
        return info;
    const std::uint16_t cluster = static_cast<std::uint16_t>(mpdu[aps + 2] | (mpdu[aps + 3] << 8));
    if (cluster != sim::kOtaClusterId)
        return info;
    info.ota = true;
    const bool manufacturerSpecific = (mpdu[zcl] & 0x04) != 0;
    const std::size_t command = zcl + (manufacturerSpecific ? 4 : 2);
    if (command + kFcs < mpdu.size())
        info.zclCommand = mpdu[command];
    return info;
}

LabRecorder::LabRecorder(std::vector<LabNodeState> initial, std::vector<std::uint16_t> machines,
                         const std::vector<sim::NodeId>& alsoKeepRecent)
    : m_machines(std::move(machines))
{
    std::sort(m_machines.begin(), m_machines.end());
    m_nodes.resize(initial.size());
    std::uint32_t rings = 0;
    for (std::size_t i = 0; i < initial.size(); ++i) {
        m_nodes[i].state = initial[i];
        if (initial[i] != LabNodeState::Idle) {
            m_nodes[i].ring = rings++;
            m_transitions.push_back(LabTransition{0.0, static_cast<sim::NodeId>(i), initial[i]});
        }
    }
    for (sim::NodeId node : alsoKeepRecent)
        if (node < m_nodes.size() && m_nodes[node].ring == UINT32_MAX)
            m_nodes[node].ring = rings++;
    m_recent.resize(std::size_t(rings) * kRecentPerNode);
}

void LabRecorder::applyTransitions(const std::vector<sim::PhaseTransition>& transitions)
{
    for (const sim::PhaseTransition& t : transitions) {
        if (t.node >= m_nodes.size())
            continue;
        NodeTrack& track = m_nodes[t.node];
        track.state = t.to;
        track.sinceS = t.timeS;
        m_transitions.push_back(LabTransition{t.timeS, t.node, t.to});
    }
}

void LabRecorder::remember(sim::NodeId node, const LabLogRow& row)
{
    if (node >= m_nodes.size())
        return;
    NodeTrack& track = m_nodes[node];
    if (track.ring == UINT32_MAX)
        return;
    m_recent[std::size_t(track.ring) * kRecentPerNode + track.written % kRecentPerNode] = row;
    ++track.written;
}

std::vector<LabLogRow> LabRecorder::recent(sim::NodeId node) const
{
    std::vector<LabLogRow> out;
    if (node >= m_nodes.size() || m_nodes[node].ring == UINT32_MAX)
        return out;
    const NodeTrack& track = m_nodes[node];
    const std::uint32_t n = std::min<std::uint32_t>(track.written, kRecentPerNode);
    out.reserve(n);
    for (std::uint32_t k = track.written - n; k < track.written; ++k)
        out.push_back(m_recent[std::size_t(track.ring) * kRecentPerNode + k % kRecentPerNode]);
    return out;
}

void LabRecorder::takeDelta(LabHistoryDelta& delta)
{
    // The next slice collects about as many rows: one allocation instead of a chain of
    // reallocations and copies while it grows.
    const std::size_t rows = m_rows.size();
    if (delta.transitions.empty())
        delta.transitions.swap(m_transitions);
    else
        delta.transitions.insert(delta.transitions.end(), m_transitions.begin(), m_transitions.end());
    if (delta.logRows.empty())
        delta.logRows.swap(m_rows);
    else
        delta.logRows.insert(delta.logRows.end(), m_rows.begin(), m_rows.end());
    m_transitions.clear();
    m_rows.clear();
    m_rows.reserve(rows);
}

void LabRecorder::onStateChange(const sim::StateChange& change)
{
    if (!std::binary_search(m_machines.begin(), m_machines.end(), change.machine))
        return;
    if (change.node >= m_nodes.size())
        return;
    LabLogRow row;
    row.timeNs = change.time.nanos();
    row.kind = LabLogRow::Kind::StateChange;
    row.machine = change.machine;
    row.src = change.node;
    row.from = change.from;
    row.to = change.to;
    m_rows.push_back(row);
    remember(change.node, row);
}

void LabRecorder::onFrame(const sim::FrameRecord& frame)
{
    if (frame.fate != sim::FrameFate::Transmitted && frame.fate != sim::FrameFate::Lost
        && frame.fate != sim::FrameFate::Collided && !m_logAllFrames)
        return;
    const LabFrameInfo info = classifyLabFrame(frame.bytes);
    if (!info.ota && !m_logAllFrames)
        return;
    LabLogRow row;
    row.timeNs = frame.time.nanos();
    row.kind = LabLogRow::Kind::Frame;
    row.fate = static_cast<std::uint8_t>(frame.fate);
    row.src = frame.src;
    row.dst = frame.dst;
    row.length = static_cast<std::uint8_t>(frame.bytes.size());
    row.zclCommand = info.zclCommand;
    row.macType = info.macType;
    m_rows.push_back(row);
    if (info.ota) {
        remember(frame.src, row);
        if (frame.dst != frame.src)
            remember(frame.dst, row);
    }
}

} // namespace otalab::app
