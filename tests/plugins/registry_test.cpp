// SPDX-License-Identifier: Apache-2.0
// TransportRegistry: finds the built plugins by metadata, loads them by scheme, and
// says where it looked when a scheme has no plugin.
#include "plugin_test_support.h"

#include <QDir>
#include <QFile>
#include <QPluginLoader>

using namespace otalab;
using namespace otalab::testing;
using core::transport::Transport;

TEST(TransportRegistry, FindsSerialUdpAndBlePluginsByMetadata)
{
    const auto plugins = buildTreeRegistry().plugins();
    QStringList schemes;
    for (const auto& plugin : plugins) {
        schemes << plugin.scheme;
        EXPECT_EQ(plugin.version, 1) << plugin.scheme.toStdString();
        EXPECT_FALSE(plugin.name.isEmpty()) << plugin.scheme.toStdString();
        EXPECT_TRUE(plugin.path.startsWith(QStringLiteral(OTALAB_PLUGIN_BUILD_DIR))) << plugin.path.toStdString();
    }
    EXPECT_EQ(schemes, (QStringList{"ble", "serial", "udp"}));
    EXPECT_TRUE(buildTreeRegistry().problems().isEmpty()) << buildTreeRegistry().problems().join("\n").toStdString();
}

TEST(TransportRegistry, ReadsMetadataWithoutLoading)
{
    testApp();
    QTemporaryDir dir;   // a private copy: no other test has loaded this file
    const QString copy = dir.filePath(QStringLiteral("libotalab_transport_ble.so"));
    ASSERT_TRUE(QFile::copy(QStringLiteral(OTALAB_PLUGIN_BUILD_DIR "/libotalab_transport_ble.so"), copy));
    hw::TransportRegistry registry({dir.path()});
    const auto plugins = registry.plugins();
    ASSERT_EQ(plugins.size(), 1);
    EXPECT_EQ(plugins.at(0).scheme, QStringLiteral("ble"));
    EXPECT_EQ(plugins.at(0).name, QStringLiteral("Bluetooth LE (Zephyr SMP GATT service)"));
    EXPECT_FALSE(QPluginLoader(copy).isLoaded());
    auto factory = registry.factory(QStringLiteral("ble"));
    ASSERT_TRUE(factory.has_value()) << factory.error().toString().toStdString();
    EXPECT_EQ((*factory)->scheme(), QStringLiteral("ble"));
    EXPECT_TRUE(QPluginLoader(copy).isLoaded());
}

TEST(TransportRegistry, NamesTheFoldersWhenASchemeHasNoPlugin)
{
    auto missing = buildTreeRegistry().factory(QStringLiteral("mqtt"));
    ASSERT_FALSE(missing.has_value());
    const QString message = missing.error().toString();
    EXPECT_TRUE(message.startsWith(QStringLiteral("no transport plugin for scheme 'mqtt'; looked in "))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral(OTALAB_PLUGIN_BUILD_DIR))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("available: ble, serial, udp"))) << message.toStdString();

    QTemporaryDir empty;
    hw::TransportRegistry nowhere({empty.path()});
    auto none = nowhere.create(QStringLiteral("serial:/dev/ttyACM0"), nullptr);
    ASSERT_FALSE(none.has_value());
    EXPECT_TRUE(none.error().message.contains(empty.path())) << none.error().message.toStdString();
    EXPECT_TRUE(none.error().message.contains(QStringLiteral("OTALAB_PLUGIN_PATH"))) << none.error().message.toStdString();
}

TEST(TransportRegistry, SkipsFilesThatAreNotTransportPlugins)
{
    testApp();
    QTemporaryDir dir;
    QFile fake(dir.filePath(QStringLiteral("libotalab_transport_fake.so")));
    ASSERT_TRUE(fake.open(QIODevice::WriteOnly));
    fake.write("not an ELF file");
    fake.close();
    QFile::copy(QStringLiteral(OTALAB_PLUGIN_BUILD_DIR "/libotalab_transport_udp.so"),
                dir.filePath(QStringLiteral("libotalab_transport_udp.so")));
    hw::TransportRegistry registry({dir.path(), QStringLiteral(OTALAB_PLUGIN_BUILD_DIR)});
    const auto plugins = registry.plugins();
    ASSERT_EQ(plugins.size(), 3);
    // The first folder wins for udp; the build tree's copy is not a problem.
    for (const auto& plugin : plugins) {
        if (plugin.scheme == QStringLiteral("udp"))
            EXPECT_TRUE(plugin.path.startsWith(dir.path())) << plugin.path.toStdString();
    }
    const QString problems = registry.problems().join(QLatin1Char('\n'));
    EXPECT_TRUE(problems.contains(QStringLiteral("libotalab_transport_fake.so: not a Qt plugin"))) << problems.toStdString();
    EXPECT_EQ(registry.problems().size(), 1) << problems.toStdString();
}

TEST(TransportRegistry, DefaultSearchPathsPutTheEnvironmentFirst)
{
    testApp();
    qputenv("OTALAB_PLUGIN_PATH", "/opt/one:/opt/two");
    QStringList paths = hw::TransportRegistry::defaultSearchPaths();
    qunsetenv("OTALAB_PLUGIN_PATH");
    ASSERT_GE(paths.size(), 4);
    EXPECT_EQ(paths.at(0), QStringLiteral("/opt/one"));
    EXPECT_EQ(paths.at(1), QStringLiteral("/opt/two"));
    const QString appDir = QCoreApplication::applicationDirPath();
    EXPECT_TRUE(paths.contains(QDir::cleanPath(appDir + QStringLiteral("/../plugins"))));
    EXPECT_TRUE(paths.contains(QDir::cleanPath(appDir + QStringLiteral("/../lib/otalab/plugins"))));
    EXPECT_TRUE(paths.contains(QDir::cleanPath(QStringLiteral(OTALAB_PLUGIN_BUILD_DIR))));
    EXPECT_EQ(paths.removeDuplicates(), 0);
    // From build/tests, <appdir>/../plugins is the build tree's plugin folder itself.
    EXPECT_TRUE(QDir(appDir + QStringLiteral("/../plugins")).exists(QStringLiteral("libotalab_transport_serial.so")));
}

// Each plugin carries its own copy of otalab_core; the program exports its symbols
// (otalab_hw links with --export-dynamic) so both sides share one Transport metaobject.
// Without it qobject_cast<Transport*> on a plugin's transport returns null.
TEST(TransportRegistry, PluginTransportsShareTheHostsInterface)
{
    auto transport = makeTransport(QStringLiteral("udp:127.0.0.1:1337"));
    ASSERT_TRUE(transport);
    QObject* object = transport.get();
    EXPECT_EQ(qobject_cast<Transport*>(object), transport.get());
    EXPECT_EQ(transport->metaObject()->superClass(), &Transport::staticMetaObject);
    bool called = false;
    auto connection = QObject::connect(transport.get(), &Transport::errorOccurred, [&](const QString&) { called = true; });
    EXPECT_TRUE(bool(connection));
    EXPECT_FALSE(transport->send(QByteArray("x")));   // not open: errorOccurred
    EXPECT_TRUE(called);
}

TEST(TransportRegistry, ParsesTheConnectionTextAndPassesOptions)
{
    auto bad = buildTreeRegistry().create(QStringLiteral("serial:/dev/ttyACM0,baud=fast"), nullptr);
    ASSERT_FALSE(bad.has_value());
    EXPECT_TRUE(bad.error().message.contains(QStringLiteral("baud=fast"))) << bad.error().message.toStdString();
    auto typo = buildTreeRegistry().create(QStringLiteral("serial:/dev/ttyACM0,bud=9600"), nullptr);
    ASSERT_FALSE(typo.has_value());
    EXPECT_TRUE(typo.error().message.contains(QStringLiteral("unknown option 'bud' for serial; known options: baud")))
        << typo.error().message.toStdString();
    auto good = buildTreeRegistry().create(QStringLiteral("serial:/dev/ttyACM0,baud=9600,flow=rtscts,pace_us=0"), nullptr);
    ASSERT_TRUE(good.has_value()) << good.error().toString().toStdString();
    std::unique_ptr<Transport> owned(*good);
    EXPECT_EQ(owned->describe(), QStringLiteral("serial /dev/ttyACM0 @ 9600"));
    EXPECT_EQ(owned->state(), Transport::State::Closed);
    EXPECT_EQ(owned->mtu(), 127);
}
