// SPDX-License-Identifier: Apache-2.0
// The built-in sim: transport: created through the registry, driven by SmpSession in real
// time (sped up), upload and a full upgrade with the board's reset; bad specs.
#include "plugin_test_support.h"

#include "app/hw/simulated_transport.h"
#include "app/hw/smp_session.h"
#include "core/mcuboot/image_creator.h"
#include "core/smp/client_upgrade.h"
#include "core/smp/client_upload.h"

using namespace otalab;
using namespace otalab::testing;
using core::transport::Transport;

namespace {

QByteArray simImage(int bodySize, const QString& version, std::uint32_t seed)
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
    return core::mcuboot::createImage(body, options).value();
}

struct Outcome {
    bool finished = false;
    bool ok = false;
    QString message;
    QStringList log;
};

Outcome runSession(Transport* transport, std::unique_ptr<core::smp::Operation> op, int limitMs = 30000)
{
    Outcome o;
    hw::SmpSession session(transport, std::move(op));
    QObject::connect(&session, &hw::SmpSession::log, &session, [&](const QString& l) { o.log << l; });
    QObject::connect(&session, &hw::SmpSession::finished, &session, [&](bool ok, const QString& message) {
        o.finished = true;
        o.ok = ok;
        o.message = message;
    });
    session.start();
    waitUntil([&] { return o.finished; }, limitMs);
    return o;
}

} // namespace

TEST(SimTransport, UploadOverSimulatedUdpThroughTheRegistry)
{
    auto transport = makeTransport(QStringLiteral("sim:udp,speed=20"));
    ASSERT_TRUE(transport);
    auto* sim = qobject_cast<hw::SimulatedTransport*>(transport.get());
    ASSERT_NE(sim, nullptr);
    Recorder rec(transport.get());
    const QByteArray image = simImage(40000, QStringLiteral("1.1.0"), 2);
    core::smp::UploadOptions options;
    options.maxPacketBytes = transport->maxPacketSize();
    const Outcome o = runSession(transport.get(), std::make_unique<core::smp::UploadOperation>(image, options));
    ASSERT_TRUE(o.finished);
    EXPECT_TRUE(o.ok) << o.message.toStdString() << "\n" << o.log.join(QLatin1Char('\n')).toStdString();
    const auto& flash = sim->board().testbed().device().board().flash();
    EXPECT_EQ(flash.read(core::mcuboot::kSecondarySlot, 0, image.size()), image);
    EXPECT_GT(rec.sent, image.size());
    EXPECT_GT(rec.received, 0);
    EXPECT_EQ(transport->maxPacketSize(), 1472);
}

TEST(SimTransport, UpgradeOverSimulatedUsbSerialReopensAfterTheReset)
{
    auto transport = makeTransport(QStringLiteral("sim:serial,baud=1000000,speed=10"));
    ASSERT_TRUE(transport);
    Recorder rec(transport.get());
    auto* sim = qobject_cast<hw::SimulatedTransport*>(transport.get());
    ASSERT_NE(sim, nullptr);
    const QByteArray image = simImage(20000, QStringLiteral("1.3.0"), 3);
    core::smp::UpgradeOptions options;
    options.upload.maxPacketBytes = transport->maxPacketSize();
    auto op = std::make_unique<core::smp::UpgradeOperation>(image, options);
    auto* upgrade = op.get();
    const Outcome o = runSession(transport.get(), std::move(op));
    ASSERT_TRUE(o.finished);
    ASSERT_TRUE(o.ok) << o.message.toStdString() << "\n" << o.log.join(QLatin1Char('\n')).toStdString();
    EXPECT_TRUE(upgrade->report().confirmed);
    EXPECT_EQ(upgrade->report().runningVersion, QStringLiteral("1.3.0"));
    EXPECT_EQ(sim->board().testbed().device().stats().resets, 1);
    // The USB CDC port vanished: the session's reopen attempts failed while the board restarted.
    EXPECT_TRUE(rec.errors.join(QLatin1Char('\n')).contains(QStringLiteral("restart")))
        << rec.errors.join('\n').toStdString();
}

TEST(SimTransport, UartBehindAProbeStaysOpenAndShowsTheBootBanner)
{
    auto transport = makeTransport(QStringLiteral("sim:serial,baud=1000000,usb=off,speed=10"));
    ASSERT_TRUE(transport);
    Recorder rec(transport.get());
    const QByteArray image = simImage(20000, QStringLiteral("1.3.1"), 5);
    core::smp::UpgradeOptions options;
    options.upload.maxPacketBytes = transport->maxPacketSize();
    const Outcome o = runSession(transport.get(), std::make_unique<core::smp::UpgradeOperation>(image, options));
    ASSERT_TRUE(o.ok) << o.message.toStdString() << "\n" << o.log.join(QLatin1Char('\n')).toStdString();
    // Closed only by the session's own reopen after the reset answer, never by the board.
    EXPECT_FALSE(rec.errors.join(QLatin1Char('\n')).contains(QStringLiteral("went away"))) << rec.errors.join('\n').toStdString();
    EXPECT_TRUE(rec.logs.join(QLatin1Char('\n')).contains(QStringLiteral("Booting Zephyr"))) << rec.logs.join('\n').toStdString();
}

TEST(SimTransport, NamedBoardKeepsItsStateAcrossConnections)
{
    const QByteArray image = simImage(10000, QStringLiteral("1.4.0"), 4);
    {
        auto first = makeTransport(QStringLiteral("sim:udp,board=keep-test,speed=50"));
        ASSERT_TRUE(first);
        core::smp::UploadOptions options;
        options.maxPacketBytes = first->maxPacketSize();
        const Outcome o = runSession(first.get(), std::make_unique<core::smp::UploadOperation>(image, options));
        ASSERT_TRUE(o.ok) << o.message.toStdString();
    }
    auto second = makeTransport(QStringLiteral("sim:udp,board=keep-test"));
    ASSERT_TRUE(second);
    auto* sim = qobject_cast<hw::SimulatedTransport*>(second.get());
    ASSERT_NE(sim, nullptr);
    EXPECT_EQ(sim->board().testbed().device().board().flash().read(core::mcuboot::kSecondarySlot, 0, image.size()), image);
}

TEST(SimTransport, BadSpecsAreRefusedInPlainWords)
{
    testApp();
    auto unknownLink = buildTreeRegistry().create(QStringLiteral("sim:can"), nullptr);
    ASSERT_FALSE(unknownLink);
    EXPECT_TRUE(unknownLink.error().toString().contains(QStringLiteral("unknown link 'can'")));
    auto unknownOption = buildTreeRegistry().create(QStringLiteral("sim:serial,interval_ms=30"), nullptr);
    ASSERT_FALSE(unknownOption);
    EXPECT_TRUE(unknownOption.error().toString().contains(QStringLiteral("interval_ms")));
    auto serve = buildTreeRegistry().create(QStringLiteral("sim:udp"), nullptr, true);
    ASSERT_FALSE(serve);
    EXPECT_TRUE(serve.error().toString().contains(QStringLiteral("target serve")));
    auto speed = buildTreeRegistry().create(QStringLiteral("sim:udp,speed=0"), nullptr);
    ASSERT_FALSE(speed);
}
