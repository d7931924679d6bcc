// SPDX-License-Identifier: Apache-2.0
// afr_ota job documents (notify-next / $next/get/accepted bodies), job updates and the
// $next/get request body, as the FreeRTOS OTA library (v3.4.0) reads and writes them.
#include "core/awsota/jobdocument.h"
#include "core/awsota/otabase64.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace otalab::core::awsota;

namespace {

// The body a plain-broker setup publishes on notify-next (shape checked against the real
// agent, PROTOCOLS.md): streamname beside files, signature base64 DER.
const char* kNotifyNext = R"({"timestamp":1700000000,"execution":{"jobId":"AFR_OTA-job-1","status":"QUEUED",
"queuedAt":1700000000,"lastUpdatedAt":1700000000,"versionNumber":1,"executionNumber":1,
"jobDocument":{"afr_ota":{"protocols":["MQTT"],"streamname":"AFR_OTA-stream-1",
"files":[{"filepath":"/device/firmware.bin","filesize":180000,"fileid":0,"certfile":"/device/cert.pem",
"sig-sha256-ecdsa":"MEUCIQCAgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2enwIgAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="}]}}}})";

QJsonObject root() { return QJsonDocument::fromJson(kNotifyNext).object(); }

// Edits one member along a path of keys / array indexes; an undefined value removes it.
QJsonValue edited(const QJsonValue& node, const QStringList& path, int depth, const QJsonValue& value)
{
    const QString& key = path[depth];
    const bool last = depth == path.size() - 1;
    if (node.isArray()) {
        QJsonArray a = node.toArray();
        const int i = key.toInt();
        if (last) {
            if (value.isUndefined()) a.removeAt(i); else a[i] = value;
        } else {
            a[i] = edited(a[i], path, depth + 1, value);
        }
        return a;
    }
    QJsonObject o = node.toObject();
    if (last) {
        if (value.isUndefined()) o.remove(key); else o[key] = value;
    } else {
        o[key] = edited(o[key], path, depth + 1, value);
    }
    return o;
}

QByteArray with(const QString& dottedPath, const QJsonValue& value)
{
    return QJsonDocument(edited(root(), dottedPath.split(QLatin1Char('.')), 0, value).toObject()).toJson(QJsonDocument::Compact);
}

} // namespace

TEST(AwsOtaJobDocument, ParsesTheNotifyNextBody)
{
    auto doc = parseJobNotification(kNotifyNext);
    ASSERT_TRUE(doc.has_value()) << doc.error().toString().toStdString();
    ASSERT_TRUE(doc->has_value());
    const OtaJobDocument& d = **doc;
    EXPECT_EQ(d.jobId, QStringLiteral("AFR_OTA-job-1"));
    EXPECT_EQ(d.protocols, QStringList{QStringLiteral("MQTT")});
    EXPECT_EQ(d.streamName, QStringLiteral("AFR_OTA-stream-1"));
    ASSERT_EQ(d.files.size(), 1u);
    EXPECT_EQ(d.files[0].filePath, QStringLiteral("/device/firmware.bin"));
    EXPECT_EQ(d.files[0].fileSize, 180000u);
    EXPECT_EQ(d.files[0].fileId, 0u);
    EXPECT_EQ(d.files[0].certFile, QStringLiteral("/device/cert.pem"));
    EXPECT_EQ(d.files[0].signature.size(), 71);
    EXPECT_EQ(quint8(d.files[0].signature[0]), 0x30);  // DER SEQUENCE
    EXPECT_EQ(d.files[0].fileType, std::nullopt);
    EXPECT_TRUE(d.statusDetails.isEmpty());
}

TEST(AwsOtaJobDocument, NoExecutionMeansNoJob)
{
    auto none = parseJobNotification(R"({"timestamp":1700000000})");
    ASSERT_TRUE(none.has_value());
    EXPECT_FALSE(none->has_value());
    auto accepted = parseJobNotification(R"({"clientToken":"0:thing","timestamp":1700000000})");
    ASSERT_TRUE(accepted.has_value());
    EXPECT_FALSE(accepted->has_value());
}

TEST(AwsOtaJobDocument, KeepsStatusDetailsAndOptionalFields)
{
    QByteArray body = with(QStringLiteral("execution.statusDetails"),
                           QJsonObject{{QStringLiteral("self_test"), QStringLiteral("ready")},
                                       {QStringLiteral("updatedBy"), QStringLiteral("0x1000000")}});
    body = QJsonDocument(edited(QJsonDocument::fromJson(body).object(),
                                QStringLiteral("execution.jobDocument.afr_ota.files.0.fileType").split(u'.'), 0, 7)
                             .toObject()).toJson();
    auto doc = parseJobNotification(body);
    ASSERT_TRUE(doc.has_value()) << doc.error().toString().toStdString();
    EXPECT_EQ((*doc)->statusDetails.value(QStringLiteral("self_test")).toString(), QStringLiteral("ready"));
    EXPECT_EQ((*doc)->files[0].fileType, 7u);
    // Optional in the library's parser: no signature, no cert path, no file path.
    for (const char* key : {"sig-sha256-ecdsa", "certfile", "filepath"}) {
        auto d = parseJobNotification(with(QStringLiteral("execution.jobDocument.afr_ota.files.0.") + QLatin1String(key), QJsonValue::Undefined));
        ASSERT_TRUE(d.has_value()) << key << ": " << d.error().toString().toStdString();
    }
}

TEST(AwsOtaJobDocument, ErrorsNameTheField)
{
    const QString f = QStringLiteral("execution.jobDocument.afr_ota.files.0.");
    const QString ota = QStringLiteral("execution.jobDocument.afr_ota.");
    struct Case { QByteArray body; const char* field; const char* messagePart; };
    const QJsonValue gone = QJsonValue::Undefined;
    const Case cases[] = {
        {"not json", "", "not JSON"},
        {"[1]", "", "not a JSON object"},
        {R"({"execution":"x"})", "execution", "expected an object"},
        {with(QStringLiteral("execution.jobId"), gone), "execution.jobId", "missing"},
        {with(QStringLiteral("execution.jobId"), 5), "execution.jobId", "expected a string"},
        {with(QStringLiteral("execution.jobId"), QStringLiteral("a/b")), "execution.jobId", "not one of"},
        {with(QStringLiteral("execution.jobId"), QString(65, u'j')), "execution.jobId", "too long"},
        {with(QStringLiteral("execution.statusDetails"), QStringLiteral("ready")), "execution.statusDetails", "expected an object"},
        {with(QStringLiteral("execution.jobDocument"), gone), "execution.jobDocument", "missing"},
        {with(QStringLiteral("execution.jobDocument.afr_ota"), gone), "execution.jobDocument.afr_ota", "missing"},
        {with(ota + QStringLiteral("protocols"), gone), "execution.jobDocument.afr_ota.protocols", "missing"},
        {with(ota + QStringLiteral("protocols"), QStringLiteral("MQTT")), "execution.jobDocument.afr_ota.protocols", "expected an array"},
        {with(ota + QStringLiteral("protocols"), QJsonArray{QStringLiteral("HTTP")}), "execution.jobDocument.afr_ota.protocols", "does not include \"MQTT\""},
        {with(ota + QStringLiteral("protocols"), QJsonArray{1}), "execution.jobDocument.afr_ota.protocols[0]", "expected a string"},
        {with(ota + QStringLiteral("streamname"), gone), "execution.jobDocument.afr_ota.streamname", "missing"},
        {with(ota + QStringLiteral("streamname"), QStringLiteral("a b")), "execution.jobDocument.afr_ota.streamname", "not one of"},
        {with(ota + QStringLiteral("files"), gone), "execution.jobDocument.afr_ota.files", "missing"},
        {with(ota + QStringLiteral("files"), QJsonArray{}), "execution.jobDocument.afr_ota.files", "empty"},
        {with(ota + QStringLiteral("files"), QJsonObject{}), "execution.jobDocument.afr_ota.files", "expected an array"},
        {with(ota + QStringLiteral("files.0"), 3), "execution.jobDocument.afr_ota.files[0]", "expected an object"},
        {with(f + QStringLiteral("filesize"), gone), "execution.jobDocument.afr_ota.files[0].filesize", "missing"},
        {with(f + QStringLiteral("filesize"), 0), "execution.jobDocument.afr_ota.files[0].filesize", "out of range"},
        {with(f + QStringLiteral("filesize"), -4), "execution.jobDocument.afr_ota.files[0].filesize", "out of range"},
        {with(f + QStringLiteral("filesize"), 4294967296.0), "execution.jobDocument.afr_ota.files[0].filesize", "out of range"},
        {with(f + QStringLiteral("filesize"), 1.5), "execution.jobDocument.afr_ota.files[0].filesize", "not an integer"},
        {with(f + QStringLiteral("filesize"), QStringLiteral("180000")), "execution.jobDocument.afr_ota.files[0].filesize", "expected an unsigned integer"},
        {with(f + QStringLiteral("fileid"), gone), "execution.jobDocument.afr_ota.files[0].fileid", "missing"},
        {with(f + QStringLiteral("fileid"), 256), "execution.jobDocument.afr_ota.files[0].fileid", "out of range (0..255)"},
        {with(f + QStringLiteral("fileid"), -1), "execution.jobDocument.afr_ota.files[0].fileid", "out of range"},
        {with(f + QStringLiteral("filepath"), 1), "execution.jobDocument.afr_ota.files[0].filepath", "expected a string"},
        {with(f + QStringLiteral("certfile"), true), "execution.jobDocument.afr_ota.files[0].certfile", "expected a string"},
        {with(f + QStringLiteral("sig-sha256-ecdsa"), QStringLiteral("MEUC*IQ==")), "execution.jobDocument.afr_ota.files[0].sig-sha256-ecdsa", "not base64"},
        {with(f + QStringLiteral("sig-sha256-ecdsa"), QStringLiteral("M")), "execution.jobDocument.afr_ota.files[0].sig-sha256-ecdsa", "not base64"},
        {with(f + QStringLiteral("sig-sha256-ecdsa"), QString(600, u'A')), "execution.jobDocument.afr_ota.files[0].sig-sha256-ecdsa", "more than 384 bytes"},
        {with(f + QStringLiteral("sig-sha256-ecdsa"), 12), "execution.jobDocument.afr_ota.files[0].sig-sha256-ecdsa", "expected a string"},
        {with(f + QStringLiteral("fileType"), QStringLiteral("0")), "execution.jobDocument.afr_ota.files[0].fileType", "expected an unsigned integer"},
    };
    for (const Case& c : cases) {
        auto r = parseJobNotification(c.body);
        ASSERT_FALSE(r.has_value()) << c.field;
        EXPECT_EQ(r.error().field, QLatin1String(c.field)) << r.error().toString().toStdString();
        EXPECT_TRUE(r.error().message.contains(QLatin1String(c.messagePart))) << c.field << ": " << r.error().toString().toStdString();
    }
}

TEST(AwsOtaJobDocument, EncodeParsesBackToTheSameDocument)
{
    OtaJobDocument doc;
    doc.jobId = QStringLiteral("job-7");
    doc.protocols = {QStringLiteral("MQTT")};
    doc.streamName = QStringLiteral("stream-7");
    doc.files.push_back({QStringLiteral("/fw.bin"), 123456, 3, QStringLiteral("/cert.pem"), QByteArray::fromHex("3006020101020101"), 2});
    doc.statusDetails = QJsonObject{{QStringLiteral("self_test"), QStringLiteral("ready")}};
    const QByteArray body = encodeJobNotification(doc, 1700000000, 2);
    auto back = parseJobNotification(body);
    ASSERT_TRUE(back.has_value()) << back.error().toString().toStdString();
    ASSERT_TRUE(back->has_value());
    EXPECT_EQ(**back, doc);
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    EXPECT_EQ(o.value(QStringLiteral("timestamp")).toInteger(), 1700000000);
    const QJsonObject e = o.value(QStringLiteral("execution")).toObject();
    EXPECT_EQ(e.value(QStringLiteral("status")).toString(), QStringLiteral("QUEUED"));
    EXPECT_EQ(e.value(QStringLiteral("executionNumber")).toInt(), 2);
    const QJsonObject afr = e.value(QStringLiteral("jobDocument")).toObject().value(QStringLiteral("afr_ota")).toObject();
    EXPECT_EQ(afr.value(QStringLiteral("streamname")).toString(), QStringLiteral("stream-7"));  // beside files
    EXPECT_EQ(afr.value(QStringLiteral("files")).toArray()[0].toObject().value(QStringLiteral("sig-sha256-ecdsa")).toString(),
              QStringLiteral("MAYCAQECAQE="));
    EXPECT_FALSE(body.contains('\n'));
}

TEST(AwsOtaJobUpdate, BytesAsTheLibraryBuildsThem)
{
    // ota_mqtt.c buildStatusMessageReceiving / prvBuildStatusMessageSelfTest / Finish.
    EXPECT_EQ(encodeJobUpdate(QStringLiteral("IN_PROGRESS"), {{QStringLiteral("receive"), QStringLiteral("1/44")}}),
              QByteArray(R"({"status":"IN_PROGRESS","statusDetails":{"receive":"1/44"}})"));
    EXPECT_EQ(encodeJobUpdate(QStringLiteral("IN_PROGRESS"), {{QStringLiteral("self_test"), QStringLiteral("ready")},
                                                              {QStringLiteral("updatedBy"), QStringLiteral("0x1000000")}}),
              QByteArray(R"({"status":"IN_PROGRESS","statusDetails":{"self_test":"ready","updatedBy":"0x1000000"}})"));
    EXPECT_EQ(encodeJobUpdate(QStringLiteral("FAILED"), {{QStringLiteral("reason"), QStringLiteral("0xe3: 0x0")}}),
              QByteArray(R"({"status":"FAILED","statusDetails":{"reason":"0xe3: 0x0"}})"));
    EXPECT_EQ(encodeJobUpdate(QStringLiteral("SUCCEEDED"), {{QStringLiteral("reason"), QStringLiteral("accepted  v1.0.1")},
                                                            {QStringLiteral("updatedBy"), QStringLiteral("  v1.0.0")}}),
              QByteArray(R"({"status":"SUCCEEDED","statusDetails":{"reason":"accepted  v1.0.1","updatedBy":"  v1.0.0"}})"));
    EXPECT_EQ(encodeJobUpdate(QStringLiteral("REJECTED"), {}, QStringLiteral("tok\"1")),
              QByteArray(R"({"status":"REJECTED","statusDetails":{},"clientToken":"tok\"1"})"));
    EXPECT_EQ(encodeGetNextJobRequest(0, QStringLiteral("thing-1")), QByteArray(R"({"clientToken":"0:thing-1"})"));
}

TEST(AwsOtaJobUpdate, ParseRoundTripAndErrors)
{
    const QJsonObject details{{QStringLiteral("receive"), QStringLiteral("3/10")}};
    auto u = parseJobUpdate(encodeJobUpdate(QStringLiteral("IN_PROGRESS"), details, QStringLiteral("c1")));
    ASSERT_TRUE(u.has_value()) << u.error().toString().toStdString();
    EXPECT_EQ(*u, (JobUpdate{QStringLiteral("IN_PROGRESS"), details, QStringLiteral("c1")}));
    auto bare = parseJobUpdate(R"({"status":"SUCCEEDED"})");
    ASSERT_TRUE(bare.has_value());
    EXPECT_TRUE(bare->statusDetails.isEmpty());
    struct Case { const char* body; const char* field; };
    const Case cases[] = {
        {"{", ""},
        {"[]", ""},
        {R"({"statusDetails":{}})", "status"},
        {R"({"status":1})", "status"},
        {R"({"status":"DONE"})", "status"},
        {R"({"status":"in_progress"})", "status"},
        {R"({"status":"FAILED","statusDetails":[]})", "statusDetails"},
        {R"({"status":"FAILED","statusDetails":{"reason":5}})", "statusDetails.reason"},
        {R"({"status":"FAILED","clientToken":7})", "clientToken"},
    };
    for (const Case& c : cases) {
        auto r = parseJobUpdate(c.body);
        ASSERT_FALSE(r.has_value()) << c.body;
        EXPECT_EQ(r.error().field, QLatin1String(c.field)) << c.body << ": " << r.error().toString().toStdString();
    }
}

TEST(AwsOtaBase64, AsOtaBase64Decodes)
{
    EXPECT_EQ(*decodeOtaBase64("TWFu", 10), QByteArray("Man"));
    EXPECT_EQ(*decodeOtaBase64("TWE=", 10), QByteArray("Ma"));
    EXPECT_EQ(*decodeOtaBase64("TWE", 10), QByteArray("Ma"));        // padding optional
    EXPECT_EQ(*decodeOtaBase64("TQ==", 10), QByteArray("M"));
    EXPECT_EQ(*decodeOtaBase64("TW\r\nFu\n", 10), QByteArray("Man"));  // newlines anywhere
    EXPECT_EQ(*decodeOtaBase64("TWE= ", 10), QByteArray("Ma"));       // trailing space
    EXPECT_FALSE(decodeOtaBase64("", 10).has_value());
    EXPECT_FALSE(decodeOtaBase64("T", 10).has_value());               // lone symbol
    EXPECT_FALSE(decodeOtaBase64("TWF=", 10).has_value());            // non-zero padding bits
    EXPECT_FALSE(decodeOtaBase64("TQ===", 10).has_value());           // three '='
    EXPECT_FALSE(decodeOtaBase64("TQ==TQ==", 10).has_value());        // data after padding
    EXPECT_FALSE(decodeOtaBase64("TW Fu", 10).has_value());           // inner space
    EXPECT_FALSE(decodeOtaBase64("TWFu", 2).has_value());             // too long
    auto bad = decodeOtaBase64("TW-u", 10);
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().offset, 2);
    EXPECT_FALSE(decodeOtaBase64("TQ=", 10).has_value());             // half padding
    for (int n = 0; n < 40; ++n) {
        QByteArray bytes;
        for (int i = 0; i < n; ++i)
            bytes.append(char(i * 37 + n));
        if (n == 0)
            continue;
        EXPECT_EQ(*decodeOtaBase64(encodeOtaBase64(bytes), 384), bytes);
    }
}
