// SPDX-License-Identifier: Apache-2.0
// SmpFleetHost: the host (BLE gateway or IPv6 border router) that pushes an image to a fleet's
// boards, K at a time, in board order.
#pragma once

#include "sim/kernel/eventhandler.h"
#include "sim/smp/smpfleetboard.h"
#include "sim/smp/smpfleetconfig.h"
#include "sim/smp/smpfleetimages.h"
#include "sim/smp/smpfleetpush.h"

#include <functional>
#include <vector>

namespace otalab::sim {

// Told of every push-state change, in the event that caused it.
class SmpFleetHostListener {
public:
    virtual void onBoardState(std::size_t board, SmpPushState from, SmpPushState to) = 0;
    // Faults: the board acknowledged `bytes` of the upload (a chunk stored); the board's
    // simulation objects were just built (before its first boot event); the host restarted.
    virtual void onBoardProgress(std::size_t board, qint64 bytes) { static_cast<void>(board), static_cast<void>(bytes); }
    virtual void onBoardMaterialized(std::size_t board) { static_cast<void>(board); }

protected:
    ~SmpFleetHostListener() = default;
};

// The push, per board: take it up when one of config.concurrency() slots is free (BLE:
// a gateway connection, which takes connectMs to set up — and as long again whenever the
// board restarts; UDP: the next of `concurrency` sessions), run one UpgradeOperation
// (read state → upload → test → reset → wait for the board up to resetWaitS → check →
// confirm) through an SmpOperationHost on the board's link, and conclude:
//  * success → Upgraded;
//  * the board came back on the old image → RolledBack, with what the board did;
//  * the board refused the image (an error answer to the first chunk) → Refused;
//  * any other failure (no answer, link lost, power cut, upload stalled, the reset lost,
//    the board late after its reset) → another attempt after retryDelayS, up to
//    uploadAttempts, then Failed with the last attempt's message and the board's state.
//    An attempt starts by reading the image state, so it picks up where the board is: it
//    resumes or restarts the upload, re-marks a pending image, or confirms a new image
//    already running in test.
// A slot is held for the whole push of its board (the gateway waits out the reset).
// Power cuts (the board's plan) fire when the upload sends a chunk at or beyond the planned
// offset. Every state change is reported to the listener and emitted as a StateChange
// record of kSmpPushMachine for the board's node.
// Simulation thread only; must outlive the simulator's events.
class SmpFleetHost final : public EventHandler, private SmpFleetPushListener {
public:
    SmpFleetHost(Simulator& sim, const SmpFleetConfig& config, const SmpFleetImages& images,
                 const core::mcuboot::FlashGeometry& geometry, std::vector<SmpFleetBoard>& boards, NodeId node,
                 SmpFleetHostListener& listener);

    // Takes up the first boards (call once, at the fleet's start).
    void start();

    // --- Rollout policy (SmpFleet's hooks; none is called without a rollout) -------------
    // Held (call before start()): the push queue takes only released boards, in release
    // order, instead of every board in board order.
    void holdForRollout();
    // The board may be pushed: it joins the end of the queue (a board released twice, or
    // no longer queued, is ignored); a free slot takes it up at once.
    void release(std::size_t board);
    // The policy ended the board's execution: a queued board is never pushed; one being
    // pushed is abandoned (no request after the one on the wire, whose answer is ignored)
    // and concludes Failed with the reason; a final board is left as it is.
    void stop(std::size_t board);
    bool heldForRollout() const { return m_held; }
    // "queued until notified", "notified", "execution ended" (held only; empty otherwise).
    QString rolloutText(std::size_t board) const;

    // --- Faults (sim/smp/smpfleetfaults.h) ----------------------------------------------------
    // The host process (mcumgr on the gateway / border router) crashes now and is back
    // `downFor` later: every push in flight is lost (the request on the wire unanswered, the
    // BLE connections dropped), nothing is taken up meanwhile; at the restart each interrupted
    // board gets a new attempt (not counted against uploadAttempts), which reads the board's
    // state first: it resumes the upload at the board's offset, re-marks or confirms.
    // `onRestart(n)` is called at the restart with the number of pushes restarted.
    void crash(SimTime downFor, std::function<void(int restarted)> onRestart);
    bool isDown() const { return m_down; }
    // The file pushed to `board` (its plan's attack image, or the fleet's).
    const QByteArray& imageFor(const SmpFleetBoard& board) const { return board.plan.image ? *board.plan.image : m_images.pushed; }

    int activeBoards() const { return m_active; }
    int maxActiveBoards() const { return m_maxActive; }   // highest number of boards pushed at once
    int slots() const { return m_slots; }

    void handleEvent(Simulator& sim, const Event& event) override;

private:
    enum Kind : std::uint32_t { ConnectCheck = 1, PushDone = 2, Retry = 3, PowerCut = 4, Settle = 5, Abandon = 6, HostUp = 7 };
    void onHostUp();

    void fillSlots();
    void admit(SmpFleetBoard& board);
    void connect(SmpFleetBoard& board);
    void onConnectCheck(SmpFleetBoard& board);
    void beginAttempt(SmpFleetBoard& board);
    void onPushDone(SmpFleetBoard& board);
    void attemptFailed(SmpFleetBoard& board, const QString& reason);
    QString boardFacts(const SmpFleetBoard& board) const;
    void conclude(SmpFleetBoard& board, SmpPushState state, const QString& reason);
    void onSettle(SmpFleetBoard& board);
    QString rollbackReason(const SmpFleetBoard& board, const QString& hostMessage) const;
    void setState(SmpFleetBoard& board, SmpPushState state);
    void post(SmpFleetBoard& board, Kind kind, SimTime delay);
    void onAbandon(SmpFleetBoard& board);

    // SmpFleetPushListener
    void onPushStep(std::size_t board, SmpPushState step) override;
    void onPushChunk(std::size_t board, qint64 offset, qint64 length) override;
    void onPushProgress(std::size_t board, qint64 bytes) override;
    void onPushFinished(std::size_t board) override;

    Simulator& m_sim;
    const SmpFleetConfig& m_config;
    const SmpFleetImages& m_images;
    core::mcuboot::FlashGeometry m_geometry;
    std::vector<SmpFleetBoard>& m_boards;
    NodeId m_node;
    SmpFleetHostListener& m_listener;
    int m_slots = 1;
    int m_active = 0;
    int m_maxActive = 0;
    std::size_t m_next = 0;   // next board to take up
    bool m_filling = false;
    // Rollout: boards released, in release order (m_next indexes it while held), and
    // per board whether it was released / stopped.
    bool m_held = false;
    std::vector<std::size_t> m_released;
    std::vector<std::uint8_t> m_rollout;   // bit 0 released, bit 1 stopped
    // Host crash.
    bool m_down = false;
    std::vector<std::size_t> m_interrupted;   // boards whose push the crash cut
    std::function<void(int)> m_onRestart;
};

} // namespace otalab::sim
