// SPDX-License-Identifier: Apache-2.0
// Helpers for the simulated SMP link/board tests: MCUboot test images, recording link ends.
#pragma once

#include "core/mcuboot/image_creator.h"
#include "sim/smp/smplink.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace otalab::test::simsmp {

// An unsigned MCUboot image (SHA256 TLV only) around `bodySize` deterministic bytes.
inline QByteArray makeImage(int bodySize, const QString& version, std::uint32_t seed = 1)
{
    QByteArray body(bodySize, '\0');
    std::uint32_t x = seed * 2654435761u + 1;
    for (int i = 0; i < bodySize; ++i) {
        x = x * 1664525u + 1013904223u;
        body[i] = char(x >> 24);
    }
    core::mcuboot::ImageCreateOptions options;
    options.padHeader = true;
    options.version = core::mcuboot::ImageVersion::parse(version).value();
    auto image = core::mcuboot::createImage(body, options);
    return image ? *image : QByteArray();
}

// An SMP-shaped packet of exactly `size` bytes (>= 8): a v2 read header whose length
// field covers the filler payload. The links only look at the header's length.
inline QByteArray rawPacket(int size, char fill = 'x')
{
    QByteArray p(size, fill);
    const int payload = size - 8;
    p[0] = char(0x08);   // v2, read
    p[1] = 0;
    p[2] = char(payload >> 8);
    p[3] = char(payload & 0xff);
    p[4] = 0;
    p[5] = 0;
    p[6] = 0;
    p[7] = 0;
    return p;
}

// Records what reaches one end of a link, with the virtual time it arrived.
struct Arrival {
    sim::SimTime at;
    QByteArray packet;
};

class RecordingDevice final : public sim::SmpLinkDevice {
public:
    explicit RecordingDevice(sim::Simulator& sim) : m_sim(sim) {}
    void onLinkPacket(const QByteArray& packet) override { arrivals.append({m_sim.now(), packet}); }
    void onLinkError(const QString& message) override { errors << message; }
    QList<Arrival> arrivals;
    QStringList errors;

private:
    sim::Simulator& m_sim;
};

class RecordingHost final : public sim::SmpLinkHost {
public:
    explicit RecordingHost(sim::Simulator& sim) : m_sim(sim) {}
    void onLinkPacket(const QByteArray& packet) override { arrivals.append({m_sim.now(), packet}); }
    void onLinkDown() override { ++downs; }
    void onLinkText(const QByteArray& line) override { text << QString::fromUtf8(line); }
    void onLinkError(const QString& message) override { errors << message; }
    QList<Arrival> arrivals;
    QStringList text;
    QStringList errors;
    int downs = 0;

private:
    sim::Simulator& m_sim;
};

} // namespace otalab::test::simsmp
