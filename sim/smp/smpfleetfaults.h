// SPDX-License-Identifier: Apache-2.0
// SmpFleetFaults: what the scenario's faults and attacks do to an SMP fleet (issue 14).
#pragma once

#include "core/common/error.h"
#include "core/mcuboot/boot_loader.h"
#include "sim/fleet/fleet.h"
#include "sim/kernel/eventhandler.h"
#include "sim/smp/smpfleetmachine.h"

#include <QByteArray>

#include <memory>
#include <optional>
#include <vector>

namespace otalab::sim {

class SmpFleet;
class SmpFleetBoard;
class SmpFleetHost;
struct SmpFleetConfig;
struct SmpFleetImages;

// Faults (each writes the fleet's FaultLog as it happens):
//  * powerLoss: the board is off forS; RAM (img_mgmt's upload state, queued requests) is
//    lost, the flash keeps what was written (slot 1 so far, MCUboot's swap status). The
//    host's next attempt reads the board's state and uploads again (Zephyr keeps no upload
//    offset across a reset: the upload restarts at 0 and erases slot 1 first).
//    atFlashWrite = k counts the board's image flash writes over its life: the upload's
//    chunks stored (acknowledged) first, then the sector operations of MCUboot's swap at
//    the test reset — k beyond the chunks cuts the power in the middle of the swap
//    (BootLoader::powerCutAfterSectors) and MCUboot resumes it at the next boot.
//    atProgress = p: once p of the image is acknowledged. atS on a board not being pushed:
//    it just reboots the image it runs.
//  * serverCrash: the host running mcumgr crashes, down forS (SmpFleetHost::crash): pushes
//    in flight lost; at the restart each one starts again by reading the board's state.
//  * linkOutage (boards, or all): the board's link carries nothing for forS (both ends stay
//    open); the host's requests time out, the attempt fails and is retried after
//    retryDelayS as uploadAttempts allow.
//  * badImage: the pushed image misbehaves on that board: failsSelfTest — it boots for its
//    test run, its self-test fails (boards.faultAfterMs after start) and it resets without
//    confirming; doesNotBoot — it crashes at once (1 ms). Either way MCUboot reverts the
//    unconfirmed test image at that reset: RolledBack, the old image runs (recovered).
//  * gatewayOutage: not supported — a board talks to the host directly (one BLE link or
//    one IPv6 path each); use serverCrash for the host or linkOutage for the boards.
//  * clockJump: not supported — neither img_mgmt nor MCUboot reads a wall clock.
// Attacks (the board gets a different file than the fleet's; the host pushes it as is):
//  * tamperedImage: the fleet's image with one body byte inverted after signing: MCUboot's
//    validation at the test boot finds the SHA256 TLV wrong, erases slot 1, boots the old one.
//  * downgrade: a valid image of an older version (0.x.0 below the running one), and
//  * replay: the board's previous image (one version step below the one it runs) offered
//    again: refused at the test boot by MCUBOOT_DOWNGRADE_PREVENTION ("boards":
//    {"downgradePrevention": true}); without it MCUboot takes them — logged as accepted.
//  * wrongKey ("boards": {"signatureKey": "ed25519"} only): the fleet's image signed again by
//    another Ed25519 key (derived from the same seed, never trusted): MCUboot's validation at
//    the test boot finds no signature by its trusted key ("Image in the secondary slot is not
//    valid! (no signature by a trusted key)"), erases slot 1, boots the old one. Without the
//    option the boards check no signature, and the planner refuses the attack at arm.
// Simulation thread only.
class SmpFleetFaults final : public EventHandler {
public:
    SmpFleetFaults(Simulator& sim, SmpFleet& fleet, std::vector<SmpFleetBoard>& boards, SmpFleetHost& host,
                   const SmpFleetImages& images, const SmpFleetConfig& config, std::uint64_t keySeed = 0);
    ~SmpFleetFaults();

    // signedImages: the boards trust a key (boards.signatureKey), so wrongKey can be staged.
    static Fleet::FaultSupport support(bool signedImages = false);
    Result<void> arm(const faults::FaultOrder& order);
    Result<void> armAttack(const faults::AttackOrder& order);
    void inject(const faults::FaultOrder& order);
    void injectAttack(const faults::AttackOrder& order);

    // From SmpFleet (the host's listener).
    void onProgress(std::size_t board, qint64 bytes);
    void onMaterialized(std::size_t board);
    void onState(std::size_t board, SmpPushState to);

    void handleEvent(Simulator& sim, const Event& event) override;

private:
    struct Pending {
        faults::FaultOrder order;
        bool done = false;
        bool swapArmed = false;
    };
    struct Watch {
        int id = 0;
        std::size_t board = 0;
        bool closed = false;
        bool badImage = false;
        bool swapCut = false;   // waits for the boot that resumes the swap
        std::optional<faults::BadImageVariant> variant;
    };
    struct AttackWatch {
        int id = 0;
        std::size_t board = 0;
        faults::AttackKind kind = faults::AttackKind::TamperedImage;
        bool tried = false;
        QString bootSaid;       // MCUboot's words at the test boot
    };

    void cutPower(std::size_t board, int id, double forS, const QString& detail);
    void onBoot(std::size_t board, const core::mcuboot::BootResult& boot);
    Result<const QByteArray*> attackImage(faults::AttackKind kind);
    QString outcome(const SmpFleetBoard& board) const;
    double nowS() const;

    Simulator& m_sim;
    SmpFleet& m_fleet;
    std::vector<SmpFleetBoard>& m_boards;
    SmpFleetHost& m_host;
    const SmpFleetImages& m_images;
    const SmpFleetConfig& m_config;
    std::vector<int> m_writes;             // per board: image flash writes so far (chunks stored)
    // Per board (index = board): a chunk stored or a state change looks at its own lists only.
    std::vector<std::vector<Pending>> m_pending;
    std::vector<faults::FaultOrder> m_deferred;   // events: cut now / at start
    std::vector<std::vector<Watch>> m_watches;
    std::vector<std::vector<AttackWatch>> m_attacks;
    std::uint64_t m_keySeed = 0;           // the fleet's, for the wrongKey attack's key
    std::unique_ptr<QByteArray> m_tampered, m_downgrade, m_replay, m_wrongKey;
};

} // namespace otalab::sim
