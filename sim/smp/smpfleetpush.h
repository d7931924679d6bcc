// SPDX-License-Identifier: Apache-2.0
// SmpFleetPush: core/smp UpgradeOperation for one board of a fleet, telling the fleet its steps.
#pragma once

#include "core/smp/client_upgrade.h"
#include "sim/smp/smpfleetmachine.h"

#include <cstddef>

namespace otalab::sim {

// Told by SmpFleetPush, from inside the operation's calls (so inside the driver's event):
// do not destroy the push or its driver from these callbacks.
class SmpFleetPushListener {
public:
    virtual void onPushStep(std::size_t board, SmpPushState step) = 0;
    // An upload chunk left the host: image bytes [offset, offset + length).
    virtual void onPushChunk(std::size_t board, qint64 offset, qint64 length) = 0;
    // The board acknowledged `bytes` of the image (it may go back to 0 after a restart).
    virtual void onPushProgress(std::size_t board, qint64 bytes) = 0;
    // The operation finished (successfully or not).
    virtual void onPushFinished(std::size_t board) = 0;

protected:
    ~SmpFleetPushListener() = default;
};

// Drives the same UpgradeOperation the CLI's `smp upgrade` and the Bench use
// (test-and-confirm) and watches what it does: the step from the phases it reports
// ("read state", "upload", "test", "reset", "waiting for the board", "check", "confirm"),
// upload chunks from the packets it sends (SMP header + the request's "off"/"data"),
// acknowledged bytes from its upload progress. Behaves exactly like the wrapped operation
// towards the driver (SmpOperationHost). Simulation thread only.
class SmpFleetPush final : public core::smp::Operation {
public:
    SmpFleetPush(QByteArray file, core::smp::UpgradeOptions options, SmpFleetPushListener& listener, std::size_t board);

    void start(std::int64_t nowMs, core::smp::OperationOutput& out) override;
    void onPacket(std::int64_t nowMs, QByteArrayView packet, core::smp::OperationOutput& out) override;
    void onTimer(std::int64_t nowMs, core::smp::OperationOutput& out) override;
    void onLinkDown(std::int64_t nowMs, core::smp::OperationOutput& out) override;
    void onLinkUp(std::int64_t nowMs, core::smp::OperationOutput& out) override;
    void cancel(std::int64_t nowMs, core::smp::OperationOutput& out) override;
    void limitPackets(const core::smp::PacketLimit& limit) override { m_upgrade.limitPackets(limit); }

    const core::smp::UpgradeOperation& upgrade() const { return m_upgrade; }
    SmpPushState step() const { return m_step; }

private:
    void after(core::smp::OperationOutput& out);
    void enter(SmpPushState step);

    core::smp::UpgradeOperation m_upgrade;
    SmpFleetPushListener& m_listener;
    std::size_t m_board;
    SmpPushState m_step = SmpPushState::ReadingState;
};

// The image bytes an SMP image-upload request carries: {offset, data length}; nullopt
// for any other packet. Reads the 8-byte header and the CBOR map's keys only.
struct SmpUploadChunkPeek {
    qint64 offset = 0;
    qint64 length = 0;
};
std::optional<SmpUploadChunkPeek> peekUploadChunk(QByteArrayView packet);

} // namespace otalab::sim
