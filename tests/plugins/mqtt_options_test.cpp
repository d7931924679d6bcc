// SPDX-License-Identifier: Apache-2.0
// MqttLinkOptions::parse/toString (core/transport/mqtt_link.h): defaults, round trips and
// errors that name the bad part.
#include "core/transport/mqtt_link.h"

#include <gtest/gtest.h>

namespace otalab::core::transport {
namespace {

TEST(MqttOptionsTest, DefaultsPerScheme)
{
    auto plain = MqttLinkOptions::parse(QStringLiteral("mqtt://broker.local"));
    ASSERT_TRUE(plain) << plain.error().toString().toStdString();
    EXPECT_EQ(plain->host, QStringLiteral("broker.local"));
    EXPECT_EQ(plain->port, 1883);
    EXPECT_FALSE(plain->tls);
    EXPECT_EQ(plain->keepAliveS, 60);
    EXPECT_TRUE(plain->cleanSession);

    auto tls = MqttLinkOptions::parse(QStringLiteral(" MQTTS://[::1]/ "));
    ASSERT_TRUE(tls) << tls.error().toString().toStdString();
    EXPECT_EQ(tls->host, QStringLiteral("::1"));
    EXPECT_EQ(tls->port, 8883);
    EXPECT_TRUE(tls->tls);
}

TEST(MqttOptionsTest, EveryOptionAndRoundTrip)
{
    const QString text = QStringLiteral("mqtts://127.0.0.1:18883,clientId=thing-1,username=lab,password=s3cret,"
                                        "cafile=/etc/ca.pem,certfile=/t/thing.crt,keyfile=/t/thing.key,insecure=yes,"
                                        "keepalive=30,cleanSession=false");
    auto options = MqttLinkOptions::parse(text);
    ASSERT_TRUE(options) << options.error().toString().toStdString();
    EXPECT_EQ(options->port, 18883);
    EXPECT_EQ(options->clientId, QStringLiteral("thing-1"));
    EXPECT_EQ(options->username, QStringLiteral("lab"));
    EXPECT_EQ(options->password, QStringLiteral("s3cret"));
    EXPECT_EQ(options->caFile, QStringLiteral("/etc/ca.pem"));
    EXPECT_EQ(options->certFile, QStringLiteral("/t/thing.crt"));
    EXPECT_EQ(options->keyFile, QStringLiteral("/t/thing.key"));
    EXPECT_TRUE(options->insecure);
    EXPECT_EQ(options->keepAliveS, 30);
    EXPECT_FALSE(options->cleanSession);

    const QString written = options->toString();
    EXPECT_FALSE(written.contains(QLatin1String("s3cret")));   // the password is never written out
    auto again = MqttLinkOptions::parse(written);
    ASSERT_TRUE(again) << written.toStdString();
    EXPECT_EQ(again->toString(), written);
    EXPECT_EQ(again->certFile, options->certFile);
    EXPECT_EQ(again->keepAliveS, 30);
    EXPECT_FALSE(again->cleanSession);

    MqttLinkOptions v6;
    v6.host = QStringLiteral("fe80::1");
    EXPECT_EQ(v6.toString(), QStringLiteral("mqtt://[fe80::1]:1883"));
    EXPECT_EQ(MqttLinkOptions::parse(v6.toString())->host, QStringLiteral("fe80::1"));
}

struct BadCase {
    const char* text;
    const char* field;      // Error::field
    const char* mentions;   // a part of the message naming what is wrong
};

TEST(MqttOptionsTest, ErrorsNameTheBadPart)
{
    const BadCase cases[] = {
        {"", "scheme", "empty broker address"},
        {"127.0.0.1:1883", "scheme", "mqtt:// or mqtts://"},
        {"tcp://127.0.0.1", "scheme", "unknown broker scheme 'tcp'"},
        {"mqtt://", "host", "no broker host"},
        {"mqtt://host:", "port", "port ''"},
        {"mqtt://host:70000", "port", "port '70000'"},
        {"mqtt://host:0", "port", "port '0'"},
        {"mqtt://host:12ab", "port", "port '12ab'"},
        {"mqtt://[::1", "host", "closing ']'"},
        {"mqtt://fe80::1:1883", "host", "in brackets"},
        {"mqtt://user@host", "host", "not HOST[:PORT]"},
        {"mqtt://bad host", "host", "has ' '"},
        {"mqtt://[broker]", "host", "not an IPv6 address"},
        {"mqtt://host/topic", "host", "not HOST[:PORT]"},
        {"mqtt://host,,clientId=a", "options", "empty option"},
        {"mqtt://host,clientId", "clientId", "needs a name and a value"},
        {"mqtt://host,clientId=", "clientId", "has no value"},
        {"mqtt://host,clientid=a,clientId=b", "clientId", "given twice"},
        {"mqtt://host,clinetId=a", "clinetId", "unknown mqtt option 'clinetId'"},
        {"mqtt://host,keepalive=3", "keepalive", "keepalive=3"},
        {"mqtt://host,keepalive=x", "keepalive", "keepalive=x"},
        {"mqtt://host,insecure=maybe", "insecure", "expected true or false"},
        {"mqtt://host,cafile=/ca.pem", "cafile", "needs TLS"},
        {"mqtts://host,certfile=/c.crt", "keyfile", "keyfile is missing"},
        {"mqtts://host,keyfile=/c.key", "certfile", "certfile is missing"},
        {"mqtt://host,password=x", "password", "needs a username"},
    };
    for (const BadCase& bad : cases) {
        auto parsed = MqttLinkOptions::parse(QString::fromUtf8(bad.text));
        ASSERT_FALSE(parsed) << bad.text;
        EXPECT_EQ(parsed.error().field, QString::fromUtf8(bad.field)) << bad.text;
        EXPECT_TRUE(parsed.error().message.contains(QString::fromUtf8(bad.mentions)))
            << bad.text << " → " << parsed.error().message.toStdString();
    }
}

} // namespace
} // namespace otalab::core::transport
