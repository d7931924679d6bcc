// SPDX-License-Identifier: Apache-2.0
// FaultOrder / AttackOrder: one fault or attack resolved onto one fleet (and one device, for
// device faults), handed to the family; FaultLog: where the family writes what it did and
// what became of the device, read back by FleetRun for the report (RunResult::faults /
// RunResult::attacks).
//
// Flow (FleetRun, sim/fleet/faults/faultplanner.h):
//  1. after build, every FaultSpec / AttackSpec is resolved into orders (devices drawn with
//     RandomStream(seed, 0, 'FLTS'), betweenS drawn per device) and checked against the
//     target fleet's Fleet::faultSupport(): a kind or condition the family cannot do is refused
//     with the reason before anything runs ("faults[2]: the smp family has no wall clock to jump").
//  2. before Fleet::start(), Fleet::armFault(order) / armAttack(order) for every order: the
//     family keeps what it must watch itself (atFlashWrite, atProgress, badImage, attacks).
//  3. orders with atS: FleetRun calls Fleet::injectFault(order) / injectAttack(order) in an
//     event at that virtual time (after the family's own events of that time).
//  4. the family writes the log as things happen (simulation thread, inside events; never
//     from appendResults).
#pragma once

#include "sim/fleet/faults/faultconfig.h"

#include <QString>

#include <cstddef>
#include <optional>
#include <vector>

namespace otalab::sim::faults {

struct FaultOrder {
    int id = 0;                          // FaultLog entry
    int spec = 0;                        // index into FaultsConfig::faults
    FaultKind kind = FaultKind::PowerLoss;
    std::optional<std::size_t> device;   // the device it hits; nullopt: the fleet / a node (target)
    QString target;                      // serverCrash / gatewayOutage node name (empty: the family's default)
    std::optional<double> atS;           // resolved moment; nullopt: the condition below (or the start)
    std::optional<int> atFlashWrite;
    std::optional<double> atProgress;
    double forS = 0;                     // resolved (the kind's default applied)
    double jumpS = 0;
    BadImageVariant variant = BadImageVariant::FailsSelfTest;
    bool permanent = false;              // gatewayOutage: never comes back (forS unused)
};

struct AttackOrder {
    int id = 0;                          // FaultLog attack entry
    int spec = 0;                        // index into FaultsConfig::attacks
    AttackKind kind = AttackKind::TamperedImage;
    std::size_t device = 0;              // the device attacked
    std::optional<double> atS;           // nullopt: when the campaign first offers the image to it
};

// One fault order's story.
struct FaultEntry {
    FaultOrder order;
    QString fleet;
    std::optional<double> firedAtS;      // when the family did it; nullopt: the moment never came
    QString detail;                      // what was done: "power off 10 s at flash write 57 of 300"
    QString effect;                      // what became of it: "booted 1.0.0; resumed at block 57; upgraded"
    std::optional<bool> recovered;       // family's verdict; nullopt: FleetRun's rule (faultplanner.h)
    QString notFiredReason;              // why it never fired ("finished before write 400")
};

// One attack order's story. `accepted` is the point: an attack a device accepted is a
// finding, reported in red with the device and how.
struct AttackEntry {
    AttackOrder order;
    QString fleet;
    std::optional<double> triedAtS;      // when the forged thing reached the device
    bool accepted = false;               // the device took it (stored as valid / applied / acted on)
    QString reason;                      // the device's words for rejecting it (or how it got in)
};

class FaultLog {
public:
    int addFault(FaultEntry entry)
    {
        entry.order.id = int(m_faults.size());
        m_faults.push_back(std::move(entry));
        return m_faults.back().order.id;
    }
    int addAttack(AttackEntry entry)
    {
        entry.order.id = int(m_attacks.size());
        m_attacks.push_back(std::move(entry));
        return m_attacks.back().order.id;
    }

    // --- the family writes these (simulation thread) -----------------------------------
    void fired(int id, double atS, QString detail)
    {
        FaultEntry& e = m_faults.at(std::size_t(id));
        e.firedAtS = atS;
        e.detail = std::move(detail);
    }
    // Appends a sentence to the effect ("; " between them).
    void effect(int id, const QString& text)
    {
        FaultEntry& e = m_faults.at(std::size_t(id));
        e.effect = e.effect.isEmpty() ? text : e.effect + QStringLiteral("; ") + text;
    }
    void recovered(int id, bool yes) { m_faults.at(std::size_t(id)).recovered = yes; }
    void notFired(int id, QString why) { m_faults.at(std::size_t(id)).notFiredReason = std::move(why); }
    void attackTried(int id, double atS, bool accepted, QString reason)
    {
        AttackEntry& e = m_attacks.at(std::size_t(id));
        e.triedAtS = atS;
        e.accepted = accepted;
        e.reason = std::move(reason);
    }

    // The attack never reached the device (why, in words); triedAtS stays empty.
    void attackNotTried(int id, QString why) { m_attacks.at(std::size_t(id)).reason = std::move(why); }

    const std::vector<FaultEntry>& faults() const { return m_faults; }
    const std::vector<AttackEntry>& attacks() const { return m_attacks; }

private:
    std::vector<FaultEntry> m_faults;
    std::vector<AttackEntry> m_attacks;
};

} // namespace otalab::sim::faults
