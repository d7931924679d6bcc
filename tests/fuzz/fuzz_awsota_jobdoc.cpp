// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes as a notify-next / $next/get/accepted body, a job
// execution update and an MQTT topic (core/awsota). Properties: a parsed job document
// re-encodes (as the service would publish it) to a body that parses to the same
// document; a parsed update re-encodes to the same update; a parsed topic is rebuilt
// by its builder to the same text; the bytes as a signature (DER) over a fixed file, or
// as the certificate, never verify and never crash the verifier.
#include "core/awsota/codesigning.h"
#include "core/awsota/jobdocument.h"
#include "core/awsota/topics.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

using namespace otalab::core::awsota;

QString rebuild(const ParsedTopic& t)
{
    switch (t.kind) {
    case TopicKind::JobsNotifyNext: return Topics::jobsNotifyNext(t.thing);
    case TopicKind::JobsGetNext: return Topics::jobsGetNext(t.thing);
    case TopicKind::JobsGetNextAccepted: return Topics::jobsGetNextAccepted(t.thing);
    case TopicKind::JobsGetNextRejected: return Topics::jobsGetNextRejected(t.thing);
    case TopicKind::JobUpdate: return Topics::jobUpdate(t.thing, t.jobId);
    case TopicKind::JobUpdateAccepted: return Topics::jobUpdateAccepted(t.thing, t.jobId);
    case TopicKind::JobUpdateRejected: return Topics::jobUpdateRejected(t.thing, t.jobId);
    case TopicKind::StreamGet: return Topics::streamGet(t.thing, t.stream);
    case TopicKind::StreamData: return Topics::streamData(t.thing, t.stream);
    case TopicKind::StreamRejected: return Topics::streamRejected(t.thing, t.stream);
    }
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));

    if (auto doc = parseJobNotification(input); doc && doc->has_value()) {
        const QByteArray body = encodeJobNotification(**doc, 1700000000, 1);
        auto back = parseJobNotification(body);
        if (!back || !back->has_value() || !(**back == **doc))
            std::abort();
    }

    if (auto update = parseJobUpdate(input)) {
        auto back = parseJobUpdate(encodeJobUpdate(update->status, update->statusDetails, update->clientToken));
        if (!back || !(*back == *update))
            std::abort();
    }

    // One identity and one genuine signature for the whole run.
    static const CodeSigningIdentity identity = *makeTestIdentity(QStringLiteral("fuzz"));
    static const QByteArray file("the signed file");
    static const QByteArray genuine = *signFile(file, identity.privateKeyPem);
    // Only inputs shaped like a DER SEQUENCE or a PEM block (verifying costs ~1 ms here).
    if (input.startsWith('\x30') && input != genuine && verifyFileSignature(file, input, identity.certificatePem))
        std::abort();
    if (input.startsWith("-----BEGIN") && size < 4096) {
        auto asCert = verifyFileSignature(file, genuine, input);
        if (asCert && !checkKeyMatchesCertificate(identity.privateKeyPem, input))
            std::abort();  // only a certificate of the signer's key can verify
    }

    const QString topic = QString::fromUtf8(input);
    if (auto parsed = parseTopic(topic)) {
        if (rebuild(*parsed) != topic)
            std::abort();
        if (!validateThingName(parsed->thing))
            std::abort();
    }
    return 0;
}
