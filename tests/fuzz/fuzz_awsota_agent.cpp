// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: an OtaAgent (core/awsota) driven by a random sequence of inputs —
// job documents (typed, structured from the bytes, or raw JSON on notify-next), data
// blocks (typed or raw CBOR), raw messages on any topic, timer firings, connection loss
// and return, self-test verdicts, aborts, reboots and restored flash records — with a
// JobsStreamService beside it: the agent's publishes go to the service (typed or as
// bytes), the service's answers are delivered, dropped or reordered at random, and the
// service also gets random bytes on its request topics, notifications and cancels.
// Properties: nothing crashes (ASan/UBSan); the PAL is asked to activate an image only
// right after a closeFile that accepted it, and it accepts only the genuine image with
// its genuine signature — so a file the PAL rejected is never activated; writes stay
// inside the file; the agent's block counts stay consistent.
#include "core/awsota/jobsservice.h"
#include "core/awsota/otaagent.h"
#include "core/awsota/topics.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <memory>

namespace {

using namespace otalab::core::awsota;

constexpr std::uint32_t kBlockSize = 256;
constexpr qsizetype kImageSize = 600;  // 3 blocks, the last 88 bytes

QByteArray goodImage()
{
    QByteArray b(kImageSize, '\0');
    for (qsizetype i = 0; i < b.size(); ++i)
        b[i] = char(i * 7 + 3);
    return b;
}

const QByteArray kGoodSignature("good-signature");

class FuzzPal final : public OtaPal {
public:
    QByteArray file;
    bool open = false;
    bool closeAccepted = false;  // the last closeFile accepted the file
    PalImageState platform = PalImageState::Valid;
    bool activatePending = false;

    PalResult<void> createFileForRx(const OtaFileInfo& info) override
    {
        if (info.fileSize > 64 * 1024)
            return palFail(PalStatus::RxFileTooLarge);
        file = QByteArray(qsizetype(info.fileSize), '\0');
        open = true;
        closeAccepted = false;
        return {};
    }
    PalResult<void> resumeFileForRx(const OtaFileInfo& info) override
    {
        if (file.size() != qsizetype(info.fileSize))
            return palFail(PalStatus::RxFileCreateFailed);
        open = true;
        closeAccepted = false;
        return {};
    }
    PalResult<void> writeBlock(const OtaFileInfo&, std::uint32_t offset, QByteArrayView data) override
    {
        if (!open || qsizetype(offset) + data.size() > file.size())
            std::abort();  // the agent wrote outside the file it created
        std::copy(data.begin(), data.end(), file.begin() + offset);
        return {};
    }
    PalResult<void> closeFile(const OtaFileInfo& info) override
    {
        if (!open)
            std::abort();  // closing a file that is not open
        open = false;
        closeAccepted = file == goodImage() && info.signature == kGoodSignature;
        if (!closeAccepted)
            return palFail(PalStatus::SignatureCheckFailed, QStringLiteral("not the genuine image"));
        return {};
    }
    PalResult<void> abort(const OtaFileInfo&) override
    {
        open = false;
        return {};
    }
    PalResult<void> activateNewImage(const OtaFileInfo&) override
    {
        if (!closeAccepted)
            std::abort();  // the property: never activate a file the PAL rejected
        closeAccepted = false;
        activatePending = true;
        return {};
    }
    PalResult<void> resetDevice() override { return {}; }
    PalResult<void> setPlatformImageState(ImageState state) override
    {
        if (state == ImageState::Accepted && platform == PalImageState::PendingCommit)
            platform = PalImageState::Valid;
        return {};
    }
    PalImageState getPlatformImageState() const override { return platform; }
    void restart()
    {
        open = false;
        closeAccepted = false;
        platform = activatePending ? PalImageState::PendingCommit : PalImageState::Valid;
        activatePending = false;
    }
};

struct Reader {
    const std::uint8_t* p;
    std::size_t n;
    bool empty() const { return n == 0; }
    std::uint8_t byte()
    {
        if (n == 0)
            return 0;
        --n;
        return *p++;
    }
    std::uint32_t u16() { return std::uint32_t(byte()) | (std::uint32_t(byte()) << 8); }
    QByteArray bytes(std::size_t max)
    {
        const std::size_t k = std::min<std::size_t>(byte() % (max + 1), n);
        QByteArray b(reinterpret_cast<const char*>(p), qsizetype(k));
        p += k;
        n -= k;
        return b;
    }
};

OtaJobDocument structuredJob(Reader& r)
{
    const std::uint8_t f = r.byte();
    OtaJobDocument doc;
    doc.jobId = (f & 1) ? QStringLiteral("job-2") : QStringLiteral("job-1");
    doc.streamName = (f & 2) ? QStringLiteral("s2") : QStringLiteral("s1");
    doc.protocols = (f & 4) ? QStringList{QStringLiteral("HTTP")} : QStringList{QStringLiteral("MQTT")};
    OtaFileInfo file;
    file.filePath = QStringLiteral("/f");
    file.certFile = QStringLiteral("c");
    switch ((f >> 3) & 3) {
    case 0: file.fileSize = kImageSize; break;
    case 1: file.fileSize = 0; break;
    case 2: file.fileSize = r.u16() * 4; break;
    default: file.fileSize = kBlockSize * 2000; break;
    }
    file.fileId = (f & 0x20) ? 1 : 0;
    file.signature = (f & 0x40) ? QByteArray("forged") : kGoodSignature;
    if (r.byte() & 1)
        file.fileType = r.byte() & 1;
    doc.files = {file};
    if (f & 0x80)
        doc.statusDetails = QJsonObject{{QStringLiteral("self_test"), QStringLiteral("ready")},
                                        {QStringLiteral("updatedBy"), QStringLiteral("0x%1").arg(r.u16() << 16, 8, 16, QLatin1Char('0'))}};
    return doc;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const QByteArray image = goodImage();
    Reader r{data, size};
    FuzzPal pal;
    AgentConfig config;
    config.thingName = QStringLiteral("thing-1");
    config.blockSize = kBlockSize;
    config.blocksPerRequest = 1 + (r.byte() % 3);
    config.maxRequestMomentum = 1 + (r.byte() % 4);
    config.appFirmwareVersion = AppVersion32{1, std::uint8_t(r.byte() % 3), 0};
    auto created = OtaAgent::create(config, pal);
    if (!created)
        std::abort();
    OtaAgent agent = std::move(*created);
    AgentActions out;
    qint64 now = 0;
    bool started = false;
    const QString notify = Topics::jobsNotifyNext(config.thingName);

    // The cloud side: job-1 streams the genuine image with its genuine signature.
    static const auto shared = std::make_shared<const QByteArray>(image);
    JobsStreamService service;
    {
        OtaJobDocument doc;
        doc.jobId = QStringLiteral("job-1");
        doc.streamName = QStringLiteral("s1");
        doc.protocols = QStringList{QStringLiteral("MQTT")};
        OtaFileInfo file;
        file.filePath = QStringLiteral("/f");
        file.certFile = QStringLiteral("c");
        file.fileSize = kImageSize;
        file.signature = kGoodSignature;
        doc.files = {file};
        if (!service.createJob(0, doc, shared, {config.thingName}))
            std::abort();
    }
    std::deque<ServiceMessage> toAgent;
    ServiceActions serviceOut;
    auto collect = [&] {
        for (const ServiceAction& a : serviceOut)
            if (const auto* p = std::get_if<ServicePublish>(&a); p && toAgent.size() < 64)
                toAgent.push_back(p->message);
        serviceOut.clear();
    };
    bool typedToService = true;

    for (int step = 0; step < 400 && !r.empty(); ++step) {
        now += r.byte();
        out.clear();
        switch (r.byte() % 19) {
        case 0:
            agent.start(now, out);
            started = true;
            break;
        case 1: (void)agent.onJobDocument(now, structuredJob(r), out); break;
        case 2: (void)agent.onJobDocument(now, std::nullopt, out); break;
        case 3: (void)agent.onMessage(now, notify, r.bytes(200), out); break;
        case 4: {  // a genuine or damaged block of the image
            const std::uint32_t id = r.byte() % 5;
            const qsizetype at = qsizetype(id) * kBlockSize;
            QByteArray block = at < image.size() ? image.mid(at, kBlockSize) : QByteArray(int(kBlockSize), 'x');
            const std::uint8_t how = r.byte();
            if (how & 1)
                block.truncate(r.byte() % (block.size() + 1));
            if ((how & 2) && !block.isEmpty())
                block[r.byte() % block.size()] = char(r.byte());
            (void)agent.onDataBlock(now, (how & 4) ? 1 : 0, id, block, out);
            break;
        }
        case 5: {  // raw CBOR on the data topic of one of the streams
            const QString stream = (r.byte() & 1) ? QStringLiteral("s2") : QStringLiteral("s1");
            (void)agent.onMessage(now, Topics::streamData(config.thingName, stream), r.bytes(300), out);
            break;
        }
        case 6: (void)agent.onMessage(now, QString::fromUtf8(r.bytes(60)), r.bytes(60), out); break;
        case 7: agent.onTimer(now, AgentTimer::Request, out); break;
        case 8: agent.onTimer(now, AgentTimer::SelfTest, out); break;
        case 9: agent.onConnectionLost(now, out); break;
        case 10: agent.onConnectionRestored(now, out); break;
        case 11: (void)agent.onSelfTestResult(now, r.byte() & 1, out); break;
        case 12: (void)agent.abortJob(now, out); break;
        case 14: (void)service.notifyThing(now, QStringLiteral("job-1"), config.thingName, serviceOut); break;
        case 15: {  // deliver (or drop, or postpone) the next message of the service
            if (toAgent.empty())
                break;
            const std::uint8_t how = r.byte();
            ServiceMessage m = std::move(toAgent.front());
            toAgent.pop_front();
            if ((how & 3) == 0)
                break;  // lost
            if ((how & 3) == 1) {
                toAgent.push_back(std::move(m));  // reordered
                break;
            }
            if (how & 4) {
                const QString topic = std::visit([](const auto& x) { return x.topic(); }, m);
                const QByteArray payload = std::visit([](const auto& x) { return x.payload(); }, m);
                (void)agent.onMessage(now, topic, payload, out);
            } else if (const auto* n = std::get_if<JobNotification>(&m)) {
                (void)agent.onJobDocument(now, n->document, out);
            } else if (const auto* b = std::get_if<StreamBlock>(&m)) {
                (void)agent.onDataBlock(now, b->fileId, b->blockId, b->data(), out);
            }
            break;
        }
        case 16: {  // random bytes on one of the service's request topics
            const std::uint8_t which = r.byte() % 3;
            const QString topic = which == 0 ? Topics::jobsGetNext(config.thingName)
                                : which == 1 ? Topics::jobUpdate(config.thingName, QStringLiteral("job-1"))
                                             : Topics::streamGet(config.thingName, QStringLiteral("s1"));
            (void)service.onMessage(now, topic, r.bytes(200), serviceOut);
            break;
        }
        case 17: (void)service.cancel(now, QStringLiteral("job-1"), r.byte() & 1, serviceOut); break;
        case 18: typedToService = !typedToService; break;
        case 13:
            if (!started && (r.byte() & 1)) {
                (void)agent.restore(r.bytes(120));
            } else {
                pal.restart();
                agent.boot(now, out);
                started = true;
            }
            break;
        }
        for (const AgentAction& a : out) {
            if (std::holds_alternative<AgentReboot>(a)) {
                pal.restart();
                AgentActions again;
                agent.boot(now, again);
            } else if (const auto* p = std::get_if<AgentPublish>(&a)) {
                if (typedToService)
                    (void)service.onAgentMessage(now, p->message, serviceOut);
                else
                    (void)service.onMessage(now, p->topic(), p->payload(), serviceOut);
            }
        }
        collect();
        if (agent.blocksReceived() > agent.blocksTotal())
            std::abort();
        if (agent.bitmap() && agent.file() && agent.bitmap()->blockCount() == 0)
            std::abort();
        (void)agent.persist();
    }
    return 0;
}
