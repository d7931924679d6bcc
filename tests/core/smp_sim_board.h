// SPDX-License-Identifier: Apache-2.0
// The simulated Zephyr board (core/smp/smp_server.h on core/mcuboot/boot_loader.h) wired
// to the loopback test driver: resets are carried out after the server's reset delay,
// either with a link drop (serial over USB CDC: the port vanishes while the board boots)
// or without (UDP: the board is silent while it boots).
#pragma once

#include "core/mcuboot/boot_loader.h"
#include "core/smp/smp_server.h"
#include "smp_loopback.h"

#include <memory>

namespace otalab::test::smp {

struct SimBoard {
    enum class ResetLink { Drops, Stays };

    explicit SimBoard(core::smp::ServerConfig config = defaultConfig(), core::mcuboot::FlashGeometry geometry = {})
        : board(geometry, core::mcuboot::BootConfig{}), server(board, std::move(config))
    {
    }

    static core::smp::ServerConfig defaultConfig()
    {
        core::smp::ServerConfig c;
        c.bufSize = 2048;
        c.bufCount = 4;
        return c;
    }

    // Programs `image` into the primary slot (like west flash) and boots it.
    bool install(const QByteArray& image)
    {
        return board.flash().program(core::mcuboot::kPrimarySlot, image).has_value() && server.reboot().booted;
    }

    QByteArray secondary(qint64 size) const { return board.flash().read(core::mcuboot::kSecondarySlot, 0, size); }

    // The board side of a loopback: requests to the server; resets carried out `bootMs`
    // after the server's reset delay.
    Loopback::Board attach(Loopback& loop, ResetLink link = ResetLink::Drops, std::int64_t bootMs = 2000)
    {
        return [this, &loop, link, bootMs](std::int64_t now, const QByteArray& request) {
            if (!running)
                return QList<QByteArray>{};   // still booting (MCUboot swapping)
            core::smp::ServerOutput out = server.handle(request);
            if (out.resetRequested) {
                ++resets;
                const std::int64_t at = now + out.resetDelayMs;
                loop.at(at, [this, &loop, link] {
                    if (link == ResetLink::Drops)
                        loop.linkDown();
                    lastBoot = server.reboot();
                    running = false;
                });
                loop.at(at + bootMs, [this, &loop, link] {
                    running = true;
                    if (link == ResetLink::Drops)
                        loop.linkUp();
                });
            }
            return out.responses;
        };
    }

    core::mcuboot::BootLoader board;
    core::smp::SmpServer server;
    std::optional<core::mcuboot::BootResult> lastBoot;
    bool running = true;
    int resets = 0;
};

} // namespace otalab::test::smp
