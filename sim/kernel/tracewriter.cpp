// SPDX-License-Identifier: Apache-2.0
// TraceWriter: fingerprint folding and JSONL formatting.
#include "sim/kernel/tracewriter.h"

#include <array>
#include <bit>
#include <charconv>
#include <cstdio>
#include <ostream>

namespace otalab::sim {

namespace {

void appendInt(std::string& s, std::int64_t v)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    s.append(buf, r.ptr);
}

void appendUint(std::string& s, std::uint64_t v)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    s.append(buf, r.ptr);
}

void appendNode(std::string& s, NodeId node)
{
    if (node == kNoNode)
        s += "null";
    else
        appendUint(s, node);
}

void appendDouble(std::string& s, double v)
{
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v); // shortest round-trip form
    s.append(buf, r.ptr);
}

const char* fateName(FrameFate fate)
{
    switch (fate) {
    case FrameFate::Transmitted: return "transmitted";
    case FrameFate::Delivered: return "delivered";
    case FrameFate::Lost: return "lost";
    case FrameFate::Collided: return "collided";
    case FrameFate::Missed: return "missed";
    }
    return "unknown";
}

} // namespace

TraceWriter::TraceWriter()
    : TraceWriter(nullptr)
{
}

TraceWriter::TraceWriter(std::ostream* out, Detail detail)
    : m_out(out)
    , m_detail(detail)
{
}

void TraceWriter::writeEventLine(const Event& event)
{
    const EventData& d = event.data;
    m_line.assign(R"({"type":"event","t":)");
    appendInt(m_line, event.time.nanos());
    m_line += R"(,"node":)";
    appendNode(m_line, d.node);
    m_line += R"(,"kind":)";
    appendUint(m_line, d.kind);
    m_line += R"(,"arg0":)";
    appendUint(m_line, d.arg0);
    m_line += R"(,"arg1":)";
    appendUint(m_line, d.arg1);
    m_line += '}';
    writeLine(m_line);
}

void TraceWriter::writeStateLine(const StateChange& c)
{
    m_line.assign(R"({"type":"state","t":)");
    appendInt(m_line, c.time.nanos());
    m_line += R"(,"node":)";
    appendNode(m_line, c.node);
    m_line += R"(,"machine":)";
    appendUint(m_line, c.machine);
    m_line += R"(,"from":)";
    appendUint(m_line, c.from);
    m_line += R"(,"to":)";
    appendUint(m_line, c.to);
    m_line += '}';
    writeLine(m_line);
}

void TraceWriter::onFrame(const FrameRecord& f)
{
    m_modelHash.addWord(static_cast<std::uint64_t>(f.time.nanos()));
    m_modelHash.addWord(static_cast<std::uint64_t>(f.airtime.nanos()) ^ std::uint64_t{'F'} << 56
                   ^ std::uint64_t{static_cast<std::uint8_t>(f.fate)} << 48 ^ std::uint64_t{f.bytes.size()} << 32);
    m_modelHash.addWord(std::uint64_t{f.dst} << 32 ^ f.src);
    m_modelHash.addBytes(f.bytes);
    ++m_records;
    if (!m_out)
        return;
    static constexpr char kHex[] = "0123456789abcdef";
    m_line.assign(R"({"type":"frame","t":)");
    appendInt(m_line, f.time.nanos());
    m_line += R"(,"airtime":)";
    appendInt(m_line, f.airtime.nanos());
    m_line += R"(,"src":)";
    appendNode(m_line, f.src);
    m_line += R"(,"dst":)";
    if (f.dst == kBroadcastNode)
        m_line += R"("broadcast")";
    else
        appendNode(m_line, f.dst);
    m_line += R"(,"pan":)";
    appendUint(m_line, f.panId);
    m_line += R"(,"channel":)";
    appendUint(m_line, f.channel);
    m_line += R"(,"fate":")";
    m_line += fateName(f.fate);
    m_line += R"(","rssi":)";
    appendInt(m_line, f.rssiDbm);
    m_line += R"(,"lqi":)";
    appendUint(m_line, f.lqi);
    m_line += R"(,"bytes":")";
    // A secured frame carried in plaintext: write it as on the air (FrameSealer).
    std::array<std::uint8_t, 127> sealed{};
    std::span<const std::uint8_t> onAir = f.bytes;
    if (f.sealer && f.bytes.size() <= sealed.size()
        && f.sealer->seal(f.bytes, std::span<std::uint8_t>(sealed.data(), f.bytes.size())))
        onAir = {sealed.data(), f.bytes.size()};
    for (std::uint8_t b : onAir) {
        m_line += kHex[b >> 4];
        m_line += kHex[b & 0x0F];
    }
    m_line += "\"}";
    writeLine(m_line);
}

void TraceWriter::onEnergy(const EnergySample& e)
{
    m_modelHash.addWord(static_cast<std::uint64_t>(e.time.nanos()));
    m_modelHash.addWord(static_cast<std::uint64_t>(e.duration.nanos()));
    m_modelHash.addWord(std::uint64_t{'J'} << 56 ^ std::uint64_t{e.component} << 48 ^ std::uint64_t{e.state} << 32 ^ e.node);
    m_modelHash.addWord(std::bit_cast<std::uint64_t>(e.joules));
    ++m_records;
    if (!m_out)
        return;
    m_line.assign(R"({"type":"energy","t":)");
    appendInt(m_line, e.time.nanos());
    m_line += R"(,"duration":)";
    appendInt(m_line, e.duration.nanos());
    m_line += R"(,"node":)";
    appendNode(m_line, e.node);
    m_line += R"(,"component":)";
    appendUint(m_line, e.component);
    m_line += R"(,"state":)";
    appendUint(m_line, e.state);
    m_line += R"(,"joules":)";
    appendDouble(m_line, e.joules);
    m_line += '}';
    writeLine(m_line);
}

std::string TraceWriter::fingerprintHex() const
{
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(fingerprint()));
    return buf;
}

void TraceWriter::writeLine(const std::string& line)
{
    m_out->write(line.data(), static_cast<std::streamsize>(line.size()));
    m_out->put('\n');
}

} // namespace otalab::sim
