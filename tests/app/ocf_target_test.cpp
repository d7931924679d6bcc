// SPDX-License-Identifier: Apache-2.0
// `otalab-cli target serve --ocf` against libcoap's coap-client as an independent peer:
// Observe on /oc/swu through a whole upgrade (RFC 7641), CBOR discovery and resource
// representations, and a POST from a client that --allow does not name (4.01, no change).
#include "tests/support/coap_ocf_lab.h"

#include <QCborArray>
#include <QCborMap>
#include <gtest/gtest.h>

namespace otalab::testing {
namespace {

#define OCF_REQUIRE_COAP_CLIENT()                                                                    \
    if (coapClientBinary().isEmpty())                                                                \
        GTEST_SKIP() << "coap-client-notls (Debian libcoap3-bin) is not installed"

// (b) coap-client observes /oc/swu while `ocf upgrade --at now` runs: its notifications show
// svv, sva, upgrading and then idle with result 1 (after the in-process reboot).
TEST(OcfTarget, CoapClientObservesTheWholeUpgrade)
{
    OCF_REQUIRE_COAP_CLIENT();
    OcfLab lab;
    ASSERT_TRUE(lab.ok());
    const auto key = lab.makeKey(QStringLiteral("vendor"));
    ASSERT_TRUE(key);
    const QString image = lab.makeImage(QStringLiteral("app-2.0.0.bin"), QStringLiteral("2.0.0"), 20000, key);
    ASSERT_FALSE(image.isEmpty());
    ASSERT_TRUE(lab.serveImage(image));
    LiveProcess* target = lab.startTarget({QStringLiteral("--key"), lab.path(QStringLiteral("vendor.pub.pem"))});
    ASSERT_TRUE(target);

    LiveProgram observer(coapClientBinary(), {QStringLiteral("-s"), QStringLiteral("20"), QStringLiteral("-B"),
                                              QStringLiteral("25"), lab.coapUrl(QStringLiteral("oc/swu"))});
    ASSERT_TRUE(observer.started());
    ASSERT_TRUE(observer.waitUntil([](const QByteArray& out, const QString&) { return !decodeCborSequence(out).empty(); }))
        << observer.text().toStdString();
    EXPECT_EQ(stateTrail(decodeCborSequence(observer.out())).value(0), QStringLiteral("idle/0"));

    const ProcessRun upgrade = runCliProcess({QStringLiteral("ocf"), QStringLiteral("--conn"), lab.conn(),
                                              QStringLiteral("upgrade"), QStringLiteral("--purl"), lab.purl(),
                                              QStringLiteral("--at"), QStringLiteral("now")});
    EXPECT_EQ(upgrade.code, 0) << show(upgrade);
    ASSERT_TRUE(target->waitFor(QStringLiteral("swupdatestate upgrading → idle \\(result 1\\)"), 20000).hasMatch())
        << target->output().toStdString();
    const bool done = observer.waitUntil([](const QByteArray& out, const QString&) {
        return stateTrail(decodeCborSequence(out)).contains(QStringLiteral("idle/1"));
    }, 20000);
    const QStringList trail = stateTrail(decodeCborSequence(observer.out()));
    ASSERT_TRUE(done) << trail.join(QLatin1Char(' ')).toStdString() << "\n" << show(upgrade) << "\n"
                      << target->output().toStdString();
    EXPECT_EQ(trail, (QStringList{QStringLiteral("idle/0"), QStringLiteral("svv/0"), QStringLiteral("sva/0"),
                                  QStringLiteral("upgrading/0"), QStringLiteral("idle/1")}))
        << target->output().toStdString();
    EXPECT_TRUE(target->waitFor(QStringLiteral("booted version 2\\.0\\.0")).hasMatch()) << target->output().toStdString();
    observer.kill();
}

// (c) GET /oic/res and /oc/swu with coap-client: CBOR with the right resource types.
TEST(OcfTarget, DiscoveryAndResourceDecodeAsCborWithTheirResourceTypes)
{
    OCF_REQUIRE_COAP_CLIENT();
    OcfLab lab;
    ASSERT_TRUE(lab.startTarget());

    const BinaryRun res = runProgram(coapClientBinary(), {QStringLiteral("-B"), QStringLiteral("10"),
                                                          lab.coapUrl(QStringLiteral("oic/res"))});
    ASSERT_EQ(res.code, 0) << res.err.toStdString();
    const auto links = decodeCborSequence(res.out);
    ASSERT_EQ(links.size(), 1u) << res.out.toHex().toStdString();
    ASSERT_TRUE(links.front().isArray());
    bool swuListed = false;
    for (const QCborValue& link : links.front().toArray()) {
        const QCborMap map = link.toMap();
        if (map.value(QStringLiteral("href")).toString() == QLatin1String("/oc/swu")) {
            swuListed = map.value(QStringLiteral("rt")).toArray().contains(QCborValue(QStringLiteral("oic.r.softwareupdate")));
            EXPECT_TRUE(map.value(QStringLiteral("anchor")).toString().startsWith(QLatin1String("ocf://")));
        }
    }
    EXPECT_TRUE(swuListed) << links.front().toDiagnosticNotation().toStdString();

    const BinaryRun swu = runProgram(coapClientBinary(), {QStringLiteral("-B"), QStringLiteral("10"),
                                                          lab.coapUrl(QStringLiteral("oc/swu?if=oic.if.baseline"))});
    ASSERT_EQ(swu.code, 0) << swu.err.toStdString();
    const auto items = decodeCborSequence(swu.out);
    ASSERT_EQ(items.size(), 1u) << swu.out.toHex().toStdString();
    const QCborMap map = items.front().toMap();
    EXPECT_EQ(map.value(QStringLiteral("rt")).toArray(), QCborArray{QStringLiteral("oic.r.softwareupdate")})
        << items.front().toDiagnosticNotation().toStdString();
    EXPECT_EQ(map.value(QStringLiteral("swupdatestate")).toString(), QStringLiteral("idle"));
    EXPECT_EQ(map.value(QStringLiteral("swupdateresult")).toInteger(), 0);

    // The lab's own client reads the same.
    const ProcessRun discover = runCliProcess({QStringLiteral("ocf"), QStringLiteral("discover"), QStringLiteral("--conn"),
                                               lab.conn()});
    EXPECT_EQ(discover.code, 0) << show(discover);
    EXPECT_TRUE(discover.out.contains(QStringLiteral("/oc/swu [oic.r.softwareupdate]"))) << show(discover);
    const ProcessRun status = runCliProcess({QStringLiteral("ocf"), QStringLiteral("--conn"), lab.conn(),
                                             QStringLiteral("status")});
    EXPECT_EQ(status.code, 0) << show(status);
    EXPECT_TRUE(status.out.contains(QStringLiteral("swupdatestate idle, result 0 (idle)"))) << show(status);
}

// (g) --allow names one client (127.0.0.2, any port): a POST from 127.0.0.3 gets 4.01 and
// changes nothing; the allowed client's POST is accepted.
TEST(OcfTarget, PostFromAClientNotAllowedIsUnauthorisedAndChangesNothing)
{
    OcfLab lab;
    ASSERT_TRUE(lab.serveImage(lab.makeImage(QStringLiteral("app.bin"), QStringLiteral("2.0.0"), 4000, std::nullopt)));
    LiveProcess* target = lab.startTarget({QStringLiteral("--allow"), QStringLiteral("127.0.0.2")});
    ASSERT_TRUE(target);
    const ProcessRun refused = runCliProcess({QStringLiteral("ocf"), QStringLiteral("--conn"), lab.conn(),
                                              QStringLiteral("--bind"), QStringLiteral("127.0.0.3"),
                                              QStringLiteral("upgrade"), QStringLiteral("--purl"), lab.purl(),
                                              QStringLiteral("--at"), QStringLiteral("now")});
    EXPECT_EQ(refused.code, 1) << show(refused);
    EXPECT_TRUE(refused.out.contains(QStringLiteral("refused: 4.01"))) << show(refused);
    EXPECT_TRUE(target->waitFor(QStringLiteral("refused 127\\.0\\.0\\.3:\\d+: POST /oc/swu")).hasMatch())
        << target->output().toStdString();
    const ProcessRun status = runCliProcess({QStringLiteral("ocf"), QStringLiteral("--conn"), lab.conn(),
                                             QStringLiteral("status")});
    EXPECT_EQ(status.code, 0) << show(status);
    EXPECT_TRUE(status.out.contains(QStringLiteral("swupdatestate idle, result 0 (idle), action idle, updatetime none")))
        << show(status);
    EXPECT_FALSE(target->output().contains(QStringLiteral("swupdatestate idle →"))) << target->output().toStdString();

    const ProcessRun allowed = runCliProcess({QStringLiteral("ocf"), QStringLiteral("--conn"), lab.conn(),
                                              QStringLiteral("--bind"), QStringLiteral("127.0.0.2"),
                                              QStringLiteral("check"), QStringLiteral("--purl"), lab.purl(),
                                              QStringLiteral("--watch"), QStringLiteral("--timeout"), QStringLiteral("20")});
    EXPECT_EQ(allowed.code, 0) << show(allowed);
    EXPECT_TRUE(allowed.out.contains(QStringLiteral("new software available: 2.0.0"))) << show(allowed);
}

} // namespace
} // namespace otalab::testing
