// SPDX-License-Identifier: Apache-2.0
// Test support for core/awsota: an in-memory PAL that models a device's two image slots,
// and a deterministic loop that wires one OtaAgent to a JobsStreamService with a fake
// clock (no broker, no sleeps). Messages are delivered in FIFO order at the current time;
// when none are left the clock jumps to the earliest armed agent timer.
#pragma once

#include "core/awsota/codesigning.h"
#include "core/awsota/jobsservice.h"
#include "core/awsota/otaagent.h"
#include "core/awsota/otapal.h"

#include <QHash>
#include <QSet>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <variant>
#include <vector>

namespace otalab::core::awsota::test {

// A device with a running image slot and a receive slot. Signatures are really checked
// (verifyFileSignature over the received bytes with the certificate named by certfile).
class MemoryPal final : public OtaPal {
public:
    QHash<QString, QByteArray> certificates;  // certfile → PEM
    bool failResume = false;                   // resumeFileForRx fails (the platform lost the file)

    // Platform model.
    PalImageState platform = PalImageState::Valid;
    bool runningNew = false;      // running the downloaded image
    bool activatePending = false; // the next boot runs the received file
    bool committed = false;
    QByteArray received;          // the receive file
    bool fileOpen = false;
    ImageState lastImageState = ImageState::Unknown;

    // Call counts.
    int creates = 0, resumes = 0, writes = 0, closes = 0, aborts = 0, activates = 0, resets = 0;
    std::vector<ImageState> imageStates;

    PalResult<void> createFileForRx(const OtaFileInfo& file) override
    {
        ++creates;
        received = QByteArray(qsizetype(file.fileSize), '\0');
        fileOpen = true;
        return {};
    }
    PalResult<void> resumeFileForRx(const OtaFileInfo& file) override
    {
        ++resumes;
        if (failResume || received.size() != qsizetype(file.fileSize))
            return palFail(PalStatus::RxFileCreateFailed, QStringLiteral("no receive file to resume"));
        fileOpen = true;
        return {};
    }
    PalResult<void> writeBlock(const OtaFileInfo&, std::uint32_t offset, QByteArrayView data) override
    {
        ++writes;
        if (!fileOpen || qsizetype(offset) + data.size() > received.size())
            return palFail(PalStatus::NullFileContext, QStringLiteral("write outside the file"));
        std::copy(data.begin(), data.end(), received.begin() + offset);
        return {};
    }
    PalResult<void> closeFile(const OtaFileInfo& file) override
    {
        ++closes;
        fileOpen = false;
        const auto cert = certificates.constFind(file.certFile);
        if (cert == certificates.constEnd())
            return palFail(PalStatus::BadSignerCert, QStringLiteral("no certificate '%1'").arg(file.certFile));
        if (auto ok = verifyFileSignature(received, file.signature, *cert); !ok)
            return palFail(PalStatus::SignatureCheckFailed, ok.error().message);
        return {};
    }
    PalResult<void> abort(const OtaFileInfo&) override
    {
        ++aborts;
        fileOpen = false;
        return {};
    }
    PalResult<void> activateNewImage(const OtaFileInfo&) override
    {
        ++activates;
        activatePending = true;
        return {};
    }
    PalResult<void> resetDevice() override
    {
        ++resets;
        return {};
    }
    PalResult<void> setPlatformImageState(ImageState state) override
    {
        imageStates.push_back(state);
        lastImageState = state;
        if (state == ImageState::Accepted && platform == PalImageState::PendingCommit) {
            platform = PalImageState::Valid;
            committed = true;
        }
        if (state == ImageState::Rejected && platform == PalImageState::PendingCommit)
            platform = PalImageState::Invalid;
        return {};
    }
    PalImageState getPlatformImageState() const override { return platform; }

    // What the boot loader does on a restart: boot the activated image pending commit, or
    // roll an uncommitted new image back to the old one. The receive file survives (flash).
    void restart()
    {
        if (activatePending) {
            activatePending = false;
            runningNew = true;
            committed = false;
            platform = PalImageState::PendingCommit;
        } else if (runningNew && !committed) {
            runningNew = false;
            platform = PalImageState::Valid;
        }
        fileOpen = false;
    }
};

struct TestImage {
    QByteArray bytes;
    OtaJobDocument document;
    CodeSigningIdentity identity;
};

// size bytes of deterministic data, signed (or signed over other bytes when badSignature).
inline TestImage makeTestImage(qsizetype size, const QString& jobId = QStringLiteral("job-1"),
                               const QString& stream = QStringLiteral("stream-1"), bool badSignature = false)
{
    static const CodeSigningIdentity identity = *makeTestIdentity(QStringLiteral("OTA Lab test signer"));
    TestImage t;
    t.identity = identity;
    t.bytes.resize(size);
    std::uint32_t x = 0x12345678u ^ std::uint32_t(size);
    for (qsizetype i = 0; i < size; ++i) {
        x = x * 1664525u + 1013904223u;
        t.bytes[i] = char(x >> 24);
    }
    QByteArray signedBytes = t.bytes;
    if (badSignature)
        signedBytes[0] = char(signedBytes[0] ^ 0x01);
    OtaFileInfo file;
    file.filePath = QStringLiteral("/ota/firmware.bin");
    file.fileSize = std::uint32_t(size);
    file.fileId = 0;
    file.certFile = QStringLiteral("ota.crt");
    file.signature = *signFile(signedBytes, identity.privateKeyPem);
    t.document.jobId = jobId;
    t.document.protocols = QStringList{QStringLiteral("MQTT")};
    t.document.streamName = stream;
    t.document.files = {file};
    return t;
}

// One agent, one service, a fake clock.
class AgentServiceLoop {
public:
    enum class Mode { Typed, Bytes };

    struct Delivery {
        bool toAgent = true;   // else to the service
        ServiceMessage fromService;
        AgentMessage fromAgent;
    };

    Mode mode = Mode::Typed;
    qint64 nowMs = 0;
    MemoryPal pal;
    JobsStreamService service;
    std::optional<OtaAgent> agent;
    AppVersion32 oldVersion{1, 0, 0};
    AppVersion32 newVersion{1, 1, 0};

    // Policy knobs.
    std::optional<bool> selfTestVerdict = true;  // nullopt: the test answers itself
    bool connected = true;
    // Return true to drop a service → agent data block (called once per block sent).
    std::function<bool(const StreamBlock&)> dropBlock;
    // Called after every agent action batch, e.g. to cut the connection at some point.
    std::function<void(AgentServiceLoop&)> afterStep;

    // Records.
    std::vector<AgentAction> agentLog;
    std::vector<ServiceAction> serviceLog;
    std::vector<StreamRequest> streamRequests;
    std::vector<JobStatusUpdate> updates;
    std::vector<std::uint32_t> blocksSent;  // block ids the service sent (dropped or not)
    std::vector<AgentJobEnded> jobsEnded;
    std::vector<RebootReason> reboots;
    std::vector<ExecutionChanged> executionChanges;
    QSet<QString> subscriptions;
    std::map<AgentTimer, qint64> timers;
    int selfTests = 0;

    explicit AgentServiceLoop(AgentConfig config = defaultConfig(), ServiceConfig serviceConfig = {})
        : service(serviceConfig)
    {
        auto created = OtaAgent::create(std::move(config), pal);
        agent.emplace(std::move(*created));
    }

    static AgentConfig defaultConfig()
    {
        AgentConfig c;
        c.thingName = QStringLiteral("thing-1");
        c.appFirmwareVersion = AppVersion32{1, 0, 0};
        return c;
    }

    const QString& thing() const { return agent->config().thingName; }

    void addJob(const TestImage& image)
    {
        pal.certificates.insert(QStringLiteral("ota.crt"), image.identity.certificatePem);
        auto created = service.createJob(nowMs, image.document, std::make_shared<const QByteArray>(image.bytes),
                                         QStringList{thing()});
        if (!created)
            qFatal("createJob: %s", qPrintable(created.error().toString()));
    }

    void start()
    {
        AgentActions out;
        agent->start(nowMs, out);
        handleAgent(out);
    }

    void notify(const QString& jobId = QStringLiteral("job-1"))
    {
        ServiceActions out;
        auto ok = service.notifyThing(nowMs, jobId, thing(), out);
        if (!ok)
            qFatal("notifyThing: %s", qPrintable(ok.error().toString()));
        handleService(out);
    }

    // The common case: a job for image, the agent started, notified and run until quiet.
    void runJob(const TestImage& image)
    {
        addJob(image);
        start();
        notify();
        run();
    }

    // Deliver everything queued, then fire timers, until quiet or past untilMs.
    void run(qint64 untilMs = 3'600'000)
    {
        for (int guard = 0; guard < 1'000'000; ++guard) {
            if (!m_queue.empty()) {
                Delivery d = std::move(m_queue.front());
                m_queue.pop_front();
                deliver(d);
                continue;
            }
            if (timers.empty())
                return;
            auto next = timers.begin();
            for (auto it = timers.begin(); it != timers.end(); ++it)
                if (it->second < next->second)
                    next = it;
            if (next->second > untilMs)
                return;
            const AgentTimer t = next->first;
            nowMs = std::max(nowMs, next->second);
            timers.erase(next);
            AgentActions out;
            agent->onTimer(nowMs, t, out);
            handleAgent(out);
        }
        qFatal("loop did not settle");
    }

    void loseConnection()
    {
        connected = false;
        subscriptions.clear();
        AgentActions out;
        agent->onConnectionLost(nowMs, out);
        handleAgent(out);
    }
    void restoreConnection()
    {
        connected = true;
        AgentActions out;
        agent->onConnectionRestored(nowMs, out);
        handleAgent(out);
    }
    // A power cycle: queued messages to the agent are lost, timers gone.
    void powerCycle(std::optional<AppVersion32> version = std::nullopt)
    {
        std::erase_if(m_queue, [](const Delivery& d) { return d.toAgent; });
        timers.clear();
        subscriptions.clear();
        pal.restart();
        AgentActions out;
        agent->boot(nowMs, version.value_or(pal.runningNew ? newVersion : oldVersion), out);
        handleAgent(out);
    }

    void selfTestResult(bool passed)
    {
        AgentActions out;
        auto ok = agent->onSelfTestResult(nowMs, passed, out);
        if (!ok)
            qFatal("onSelfTestResult: %s", qPrintable(ok.error().toString()));
        handleAgent(out);
    }

    std::optional<ExecutionInfo> execution(const QString& jobId = QStringLiteral("job-1")) const
    {
        return service.execution(jobId, thing());
    }

    void handleAgent(const AgentActions& out)
    {
        bool rebootNow = false;
        std::optional<bool> verdict;
        for (const AgentAction& a : out) {
            agentLog.push_back(a);
            if (const auto* p = std::get_if<AgentPublish>(&a)) {
                if (const auto* s = std::get_if<StreamRequest>(&p->message))
                    streamRequests.push_back(*s);
                if (const auto* u = std::get_if<JobStatusUpdate>(&p->message))
                    updates.push_back(*u);
                if (connected)
                    m_queue.push_back(Delivery{false, {}, p->message});
            } else if (const auto* s = std::get_if<AgentSubscribe>(&a)) {
                subscriptions.insert(s->topicFilter);
            } else if (const auto* u = std::get_if<AgentUnsubscribe>(&a)) {
                subscriptions.remove(u->topicFilter);
            } else if (const auto* t = std::get_if<AgentArmTimer>(&a)) {
                timers[t->timer] = t->atMs;
            } else if (const auto* c = std::get_if<AgentCancelTimer>(&a)) {
                timers.erase(c->timer);
            } else if (const auto* r = std::get_if<AgentReboot>(&a)) {
                reboots.push_back(r->reason);
                rebootNow = true;
            } else if (std::get_if<AgentSelfTestStart>(&a)) {
                ++selfTests;
                verdict = selfTestVerdict;
            } else if (const auto* e = std::get_if<AgentJobEnded>(&a)) {
                jobsEnded.push_back(*e);
            }
        }
        if (afterStep)
            afterStep(*this);
        if (rebootNow)
            powerCycle();
        else if (verdict)
            selfTestResult(*verdict);
    }

    void handleService(const ServiceActions& out)
    {
        for (const ServiceAction& a : out) {
            serviceLog.push_back(a);
            if (const auto* p = std::get_if<ServicePublish>(&a)) {
                if (const auto* b = std::get_if<StreamBlock>(&p->message)) {
                    blocksSent.push_back(b->blockId);
                    if (dropBlock && dropBlock(*b))
                        continue;
                }
                if (std::holds_alternative<UpdateResponse>(p->message))
                    continue;  // the FreeRTOS agent does not subscribe to update responses
                m_queue.push_back(Delivery{true, p->message, {}});
            } else if (const auto* c = std::get_if<ExecutionChanged>(&a)) {
                executionChanges.push_back(*c);
            }
        }
    }

    int count(const std::vector<std::uint32_t>& v, std::uint32_t id) const
    {
        return int(std::count(v.begin(), v.end(), id));
    }

private:
    static QString topicOf(const ServiceMessage& m)
    {
        return std::visit([](const auto& x) { return x.topic(); }, m);
    }

    void deliver(const Delivery& d)
    {
        if (!d.toAgent) {
            ServiceActions out;
            if (mode == Mode::Typed) {
                (void)service.onAgentMessage(nowMs, d.fromAgent, out);
            } else {
                const QString topic = std::visit([](const auto& x) { return x.topic(); }, d.fromAgent);
                const QByteArray payload = std::visit([](const auto& x) { return x.payload(); }, d.fromAgent);
                (void)service.onMessage(nowMs, topic, payload, out);
            }
            handleService(out);
            return;
        }
        if (!connected || !subscriptions.contains(topicOf(d.fromService)))
            return;  // the broker routes only subscribed topics
        AgentActions out;
        if (mode == Mode::Bytes) {
            const QString topic = topicOf(d.fromService);
            const QByteArray payload = std::visit([](const auto& x) { return x.payload(); }, d.fromService);
            (void)agent->onMessage(nowMs, topic, payload, out);
        } else if (const auto* n = std::get_if<JobNotification>(&d.fromService)) {
            (void)agent->onJobDocument(nowMs, n->document, out);
        } else if (const auto* b = std::get_if<StreamBlock>(&d.fromService)) {
            (void)agent->onDataBlock(nowMs, b->fileId, b->blockId, b->data(), out);
        }
        handleAgent(out);
    }

    std::deque<Delivery> m_queue;
};

} // namespace otalab::core::awsota::test
