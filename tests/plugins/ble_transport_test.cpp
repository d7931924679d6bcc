// SPDX-License-Identifier: Apache-2.0
// The BLE plugin on a machine without a Bluetooth adapter (CI): opening and scanning fail
// with a clear message, without a crash or a hang; options are checked.
#include "plugin_test_support.h"

#include <QBluetoothLocalDevice>

using namespace otalab;
using namespace otalab::testing;
using core::transport::Transport;

namespace {

const QString kNoAdapter = QStringLiteral("no Bluetooth adapter found (BlueZ not running or no controller)");

bool hasAdapter()
{
    testApp();
    return !QBluetoothLocalDevice::allDevices().isEmpty();
}

} // namespace

TEST(BleTransport, OpeningWithoutAnAdapterFailsClearly)
{
    auto transport = makeTransport(QStringLiteral("ble:otalab-no-such-board,scan_ms=2000,connect_ms=2000"));
    ASSERT_TRUE(transport);
    Recorder recorder(transport.get());
    transport->open();
    EXPECT_EQ(transport->state(), Transport::State::Opening);
    // Bounded: the scan and connect limits are 2 s each.
    ASSERT_TRUE(waitUntil([&] { return transport->state() == Transport::State::Closed; }, 30000));
    ASSERT_EQ(recorder.errors.size(), 1);
    EXPECT_EQ(recorder.states, (QList<Transport::State>{Transport::State::Opening, Transport::State::Closed}));
    if (hasAdapter()) {
        EXPECT_TRUE(recorder.errors.at(0).contains(QStringLiteral("otalab-no-such-board"))) << recorder.errors.at(0).toStdString();
    } else {
        EXPECT_TRUE(recorder.errors.at(0).startsWith(kNoAdapter + QStringLiteral(": cannot reach ble:otalab-no-such-board")))
            << recorder.errors.at(0).toStdString();
    }
    EXPECT_FALSE(transport->send(smpPacket(1, 1)));
    EXPECT_EQ(transport->mtu(), 23);
    EXPECT_EQ(transport->maxPacketSize(), 0xffff + 8);
}

TEST(BleTransport, ScanningWithoutAnAdapterFailsClearly)
{
    if (hasAdapter())
        GTEST_SKIP() << "this machine has a Bluetooth adapter; the no-adapter path is not reachable";
    auto discovery = buildTreeRegistry().discover(QStringLiteral("ble"), nullptr);
    ASSERT_TRUE(discovery.has_value());
    QPointer<core::transport::Discovery> watch(*discovery);
    QString failure;
    bool finished = false;
    QObject::connect(*discovery, &core::transport::Discovery::failed, [&](const QString& m) { failure = m; });
    QObject::connect(*discovery, &core::transport::Discovery::finished, [&] { finished = true; });
    ASSERT_TRUE(waitUntil([&] { return watch.isNull(); }, 30000));
    EXPECT_FALSE(finished);
    EXPECT_TRUE(failure.startsWith(kNoAdapter)) << failure.toStdString();
    EXPECT_TRUE(failure.contains(QStringLiteral("bluetoothctl"))) << failure.toStdString();
}

TEST(BleTransport, RejectsServingAndBadOptions)
{
    auto serve = buildTreeRegistry().create(QStringLiteral("ble:board"), nullptr, /*serve=*/true);
    ASSERT_FALSE(serve.has_value());
    EXPECT_TRUE(serve.error().message.startsWith(QStringLiteral("ble cannot serve"))) << serve.error().message.toStdString();
    auto bad = buildTreeRegistry().create(QStringLiteral("ble:board,scan_ms=soon"), nullptr);
    ASSERT_FALSE(bad.has_value());
    EXPECT_TRUE(bad.error().message.contains(QStringLiteral("scan_ms=soon"))) << bad.error().message.toStdString();
    auto byAddress = makeTransport(QStringLiteral("ble:C0:FF:EE:00:00:01"));
    ASSERT_TRUE(byAddress);
    EXPECT_EQ(byAddress->describe(), QStringLiteral("ble C0:FF:EE:00:00:01 (ATT_MTU 23)"));
}
