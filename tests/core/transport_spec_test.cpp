// SPDX-License-Identifier: Apache-2.0
// ConnectionSpec text form and the UDP target helper.
#include "core/transport/transport.h"

#include <gtest/gtest.h>

using otalab::core::transport::ConnectionSpec;
using otalab::core::transport::parseUdpTarget;

namespace {

ConnectionSpec ok(const char* text)
{
    auto spec = ConnectionSpec::parse(QString::fromUtf8(text));
    EXPECT_TRUE(spec.has_value()) << text << ": " << (spec ? "" : spec.error().toString().toStdString());
    return spec ? *spec : ConnectionSpec{};
}

QString error(const char* text)
{
    auto spec = ConnectionSpec::parse(QString::fromUtf8(text));
    EXPECT_FALSE(spec.has_value()) << text;
    return spec ? QString() : spec.error().message;
}

} // namespace

TEST(TransportSpec, SerialWithOptions)
{
    const ConnectionSpec s = ok("serial:/dev/ttyACM0,baud=115200,flow=none");
    EXPECT_EQ(s.scheme, QStringLiteral("serial"));
    EXPECT_EQ(s.target, QStringLiteral("/dev/ttyACM0"));
    EXPECT_EQ(s.options.size(), 2);
    EXPECT_EQ(s.options.value(QStringLiteral("baud")).toString(), QStringLiteral("115200"));
    EXPECT_EQ(s.options.value(QStringLiteral("flow")).toString(), QStringLiteral("none"));
    EXPECT_FALSE(s.serve);
    EXPECT_EQ(s.toString(), QStringLiteral("serial:/dev/ttyACM0,baud=115200,flow=none"));
    EXPECT_EQ(ok("SERIAL: COM3 , baud = 9600").toString(), QStringLiteral("serial:COM3,baud=9600"));
}

TEST(TransportSpec, UdpHostsPortsAndDefault)
{
    EXPECT_EQ(ok("udp:192.168.1.5:1337").target, QStringLiteral("192.168.1.5:1337"));
    EXPECT_EQ(ok("udp:192.168.1.5").target, QStringLiteral("192.168.1.5:1337"));
    EXPECT_EQ(ok("udp:board.local:7000").target, QStringLiteral("board.local:7000"));
    EXPECT_EQ(ok("udp:[::1]:1337").target, QStringLiteral("[::1]:1337"));
    EXPECT_EQ(ok("udp:[fe80::1]").target, QStringLiteral("[fe80::1]:1337"));
    EXPECT_EQ(ok("udp:fe80::1").target, QStringLiteral("[fe80::1]:1337"));
    EXPECT_EQ(ok("udp:0.0.0.0:1337").toString(), QStringLiteral("udp:0.0.0.0:1337"));

    auto v6 = parseUdpTarget(QStringLiteral("[::1]:1337"));
    ASSERT_TRUE(v6.has_value());
    EXPECT_EQ(v6->host, QStringLiteral("::1"));
    EXPECT_EQ(v6->port, 1337);
    auto v4 = parseUdpTarget(QStringLiteral("10.0.0.2"));
    ASSERT_TRUE(v4.has_value());
    EXPECT_EQ(v4->host, QStringLiteral("10.0.0.2"));
    EXPECT_EQ(v4->port, otalab::core::transport::kSmpUdpDefaultPort);
    EXPECT_EQ(parseUdpTarget(QStringLiteral("h:9")).value().port, 9);

    EXPECT_TRUE(error("udp:host:99999").contains(QStringLiteral("port")));
    EXPECT_TRUE(error("udp:host:abc").contains(QStringLiteral("port")));
    EXPECT_TRUE(error("udp:host:").contains(QStringLiteral("port")));
    EXPECT_TRUE(error("udp:[::1").contains(QStringLiteral("]")));
    EXPECT_FALSE(error("udp:[::1]x").isEmpty());
    EXPECT_FALSE(error("udp::1337").isEmpty());
}

TEST(TransportSpec, BleNamesAndAddressesKeepTheirColons)
{
    const ConnectionSpec name = ok("ble:Zephyr-42");
    EXPECT_EQ(name.scheme, QStringLiteral("ble"));
    EXPECT_EQ(name.target, QStringLiteral("Zephyr-42"));
    const ConnectionSpec addr = ok("ble:AA:BB:CC:DD:EE:FF");
    EXPECT_EQ(addr.target, QStringLiteral("AA:BB:CC:DD:EE:FF"));
    EXPECT_TRUE(addr.options.isEmpty());
    const ConnectionSpec withOption = ok("ble:C0:FF:EE:00:00:01,mtu=247");
    EXPECT_EQ(withOption.target, QStringLiteral("C0:FF:EE:00:00:01"));
    EXPECT_EQ(withOption.options.value(QStringLiteral("mtu")).toString(), QStringLiteral("247"));
    EXPECT_EQ(withOption.toString(), QStringLiteral("ble:C0:FF:EE:00:00:01,mtu=247"));
}

TEST(TransportSpec, ClearErrors)
{
    EXPECT_TRUE(error("").contains(QStringLiteral("empty")));
    EXPECT_TRUE(error("/dev/ttyACM0").contains(QStringLiteral("no scheme")));
    const QString unknown = error("usb:/dev/ttyACM0");
    EXPECT_TRUE(unknown.contains(QStringLiteral("unknown connection scheme 'usb'"))) << unknown.toStdString();
    EXPECT_TRUE(unknown.contains(QStringLiteral("serial, udp, ble")));
    EXPECT_TRUE(error("serial:").contains(QStringLiteral("no target")));
    EXPECT_TRUE(error("ble:,mtu=23").contains(QStringLiteral("no target")));
    EXPECT_TRUE(error("serial:/dev/ttyACM0,baud").contains(QStringLiteral("key=value")));
    EXPECT_TRUE(error("serial:/dev/ttyACM0,=5").contains(QStringLiteral("no name")));
    EXPECT_TRUE(error("serial:/dev/ttyACM0,baud=").contains(QStringLiteral("no value")));
    EXPECT_TRUE(error("serial:/dev/ttyACM0,,baud=1").contains(QStringLiteral("empty option")));
    EXPECT_TRUE(error("serial:/dev/ttyACM0,baud=1,baud=2").contains(QStringLiteral("twice")));
}
