// SPDX-License-Identifier: Apache-2.0
// FuotaDevice: the three packages' downlink commands (TS003 clock sync, TS005 multicast
// setup, TS004 fragmentation), each executed or refused in words, and their answers queued.
#include "core/lorawan/fuotadevice.h"

#include "core/lorawan/fuotadeviceintegrity.h"
#include "core/lorawan/fuotadevicesession.h"
#include "core/lorawan/fuotaimage.h"

#include <QStringList>

#include <algorithm>
#include <type_traits>

namespace otalab::core::lorawan {

namespace {

QString micHex(const DataBlockMic& mic)
{
    return QByteArray(reinterpret_cast<const char*>(mic.data()), 4).toHex();
}

} // namespace

void FuotaDevice::execute(const PackageCommand& command, std::optional<std::uint8_t> viaGroup)
{
    if (auto* c = std::get_if<clocksync::Command>(&command))
        onClockSync(*c);
    else if (auto* m = std::get_if<multicastsetup::Command>(&command))
        onMulticastSetup(*m);
    else if (auto* f = std::get_if<fragmentation::Command>(&command))
        onFragmentation(*f, viaGroup);
}

// --- TS003 clock sync --------------------------------------------------------------

void FuotaDevice::onClockSync(const clocksync::Command& command)
{
    namespace cs = clocksync;
    if (std::holds_alternative<cs::PackageVersionReq>(command)) {
        queue(cs::kPort, cs::Command{cs::PackageVersionAns{}});
    } else if (auto* ans = std::get_if<cs::AppTimeAns>(&command)) {
        if (!m_appTimePending) {
            refuse(Error::plain(QStringLiteral("AppTimeAns (correction %1 s) without an AppTimeReq pending: ignored").arg(ans->timeCorrection)));
            return;
        }
        if (ans->tokenAns != m_tokenReq) {
            refuse(Error::plain(QStringLiteral("AppTimeAns token %1 does not answer AppTimeReq token %2: ignored")
                                    .arg(ans->tokenAns).arg(m_tokenReq)));
            return;
        }
        m_correctionMs += qint64(ans->timeCorrection) * 1000;
        m_tokenReq = std::uint8_t((m_tokenReq + 1) & 0x0f);
        m_appTimePending = false;
        log(Event::Kind::Command, QStringLiteral("AppTimeAns: clock corrected by %1 s (network time now %2 s)")
                                      .arg(ans->timeCorrection).arg(networkTimeS(m_nowMs)));
        advanceTo(m_nowMs);  // the corrected clock may be inside a session window now
    } else if (auto* p = std::get_if<cs::DeviceAppTimePeriodicityReq>(&command)) {
        log(Event::Kind::Command, QStringLiteral("DeviceAppTimePeriodicityReq: period %1 s noted").arg(cs::periodicitySeconds(p->period)));
        queue(cs::kPort, cs::Command{cs::DeviceAppTimePeriodicityAns{false, std::uint32_t(networkTimeS(m_nowMs))}});
    } else if (auto* f = std::get_if<cs::ForceDeviceResyncReq>(&command)) {
        log(Event::Kind::Command, QStringLiteral("ForceDeviceResyncReq: %1 AppTimeReq to send").arg(f->nbTransmissions));
        for (int i = 0; i < f->nbTransmissions; ++i)
            queue(cs::kPort, cs::Command{cs::AppTimeReq{}});
    }
}

// --- TS005 remote multicast setup --------------------------------------------------

void FuotaDevice::onMulticastSetup(const multicastsetup::Command& command)
{
    namespace mc = multicastsetup;
    if (std::holds_alternative<mc::PackageVersionReq>(command)) {
        queue(mc::kPort, mc::Command{mc::PackageVersionAns{}});
    } else if (auto* req = std::get_if<mc::McGroupStatusReq>(&command)) {
        mc::McGroupStatusAns ans;
        for (std::uint8_t id = 0; id < m_groups.size(); ++id) {
            if (!m_groups[id])
                continue;
            ++ans.nbTotalGroups;
            if (req->reqGroupMask & (1u << id))
                ans.groups.push_back(mc::McGroupStatusItem{id, m_groups[id]->setup.mcAddr});
        }
        queue(mc::kPort, mc::Command{ans});
    } else if (auto* setup = std::get_if<mc::McGroupSetupReq>(&command)) {
        const AesKey kek = mc::mcKEKey(mc::mcRootKeyFromGenAppKey(m_config.genAppKey));
        const AesKey mcKey = mc::decryptMcKey(kek, setup->mcKeyEncrypted);
        const bool replaced = m_groups[setup->mcGroupId].has_value();
        m_groups[setup->mcGroupId] = Group{*setup, mc::multicastSessionKeys(mcKey, setup->mcAddr), std::nullopt, std::nullopt, 0, false};
        log(Event::Kind::Command, QStringLiteral("McGroupSetupReq: group %1 %2, McAddr %3, McFCnt window [%4, %5]")
                                      .arg(setup->mcGroupId).arg(replaced ? QStringLiteral("replaced") : QStringLiteral("set up"))
                                      .arg(formatDevAddr(setup->mcAddr)).arg(setup->minMcFCnt).arg(setup->maxMcFCnt));
        if (m_state == State::Idle)
            setState(State::GroupSetUp, m_nowMs);
        advanceTo(m_nowMs);
        queue(mc::kPort, mc::Command{mc::McGroupSetupAns{setup->mcGroupId, false}});
    } else if (auto* del = std::get_if<mc::McGroupDeleteReq>(&command)) {
        const bool defined = m_groups[del->mcGroupId].has_value();
        if (!defined) {
            refuse(Error::plain(QStringLiteral("McGroupDeleteReq for group %1, which is not set up").arg(del->mcGroupId)));
        } else {
            m_groups[del->mcGroupId].reset();
            log(Event::Kind::Command, QStringLiteral("McGroupDeleteReq: group %1 deleted").arg(del->mcGroupId));
            const bool anyGroup = std::any_of(m_groups.begin(), m_groups.end(), [](const auto& g) { return g.has_value(); });
            const bool anySession = std::any_of(m_sessions.begin(), m_sessions.end(), [](const auto& s) { return bool(s); });
            if (!anyGroup && (m_state == State::GroupSetUp || m_state == State::InSession))
                setState(anySession ? State::SessionSetUp : State::Idle, m_nowMs);
            advanceTo(m_nowMs);
        }
        queue(mc::kPort, mc::Command{mc::McGroupDeleteAns{del->mcGroupId, !defined}});
    } else if (auto* c = std::get_if<mc::McClassCSessionReq>(&command)) {
        onMcSessionReq(c->mcGroupId, c->sessionTime, std::int64_t(1) << c->sessionTimeOut, c->dataRate, c->dlFrequencyHz, false);
    } else if (auto* b = std::get_if<mc::McClassBSessionReq>(&command)) {
        onMcSessionReq(b->mcGroupId, b->sessionTime, std::int64_t(128) << b->timeOut, b->dataRate, b->dlFrequencyHz, true);
    }
}

void FuotaDevice::onMcSessionReq(std::uint8_t groupId, std::uint32_t sessionTime, std::int64_t lengthS, std::uint8_t dataRate,
                                 std::uint32_t frequencyHz, bool classB)
{
    namespace mc = multicastsetup;
    const QString name = classB ? QStringLiteral("McClassBSessionReq") : QStringLiteral("McClassCSessionReq");
    mc::McSessionAnsFields ans;
    ans.mcGroupId = groupId;
    ans.mcGroupUndefined = !m_groups[groupId].has_value();
    ans.drError = dataRate > m_config.maxDataRate;
    ans.freqError = frequencyHz < m_config.minFrequencyHz || frequencyHz > m_config.maxFrequencyHz;
    // A start that is not in the future of the device's clock is refused with the
    // McGroupUndefined bit, as LoRaMac-node's LmhpRemoteMcastSetup answers it.
    const bool startPassed = std::int64_t(sessionTime) <= networkTimeS(m_nowMs);
    const bool groupUndefined = ans.mcGroupUndefined;
    ans.mcGroupUndefined = ans.mcGroupUndefined || startPassed;
    if (ans.hasError()) {
        QStringList why;
        if (groupUndefined)
            why << QStringLiteral("group %1 is not set up").arg(groupId);
        else if (startPassed)
            why << QStringLiteral("the session start %1 s is not after the device's time %2 s (McGroupUndefined bit, as LoRaMac-node)")
                       .arg(sessionTime).arg(networkTimeS(m_nowMs));
        if (ans.drError)
            why << QStringLiteral("DR%1 is above DR%2").arg(dataRate).arg(m_config.maxDataRate);
        if (ans.freqError)
            why << QStringLiteral("%1 Hz is outside %2..%3 Hz").arg(frequencyHz).arg(m_config.minFrequencyHz).arg(m_config.maxFrequencyHz);
        refuse(Error::plain(QStringLiteral("%1 refused: %2").arg(name, why.join(QStringLiteral(", ")))));
    } else {
        Group& g = *m_groups[groupId];
        g.sessionStartS = sessionTime;
        g.sessionEndS = std::int64_t(sessionTime) + lengthS;
        g.classB = classB;
        const std::int64_t toStart = std::clamp<std::int64_t>(std::int64_t(sessionTime) - networkTimeS(m_nowMs), 0, 0xffffff);
        ans.timeToStart = std::uint32_t(toStart);
        log(Event::Kind::Command, QStringLiteral("%1: group %2 session [%3, %4) s at %5 Hz DR%6, starts in %7 s")
                                      .arg(name).arg(groupId).arg(sessionTime).arg(g.sessionEndS).arg(frequencyHz).arg(dataRate).arg(toStart));
        if (m_state == State::GroupSetUp || m_state == State::SessionSetUp)
            setState(State::InSession, m_nowMs);
        advanceTo(m_nowMs);
    }
    if (classB)
        queue(mc::kPort, mc::Command{mc::McClassBSessionAns{ans}});
    else
        queue(mc::kPort, mc::Command{mc::McClassCSessionAns{ans}});
}

// --- TS004 fragmentation -------------------------------------------------------------

void FuotaDevice::onFragmentation(const fragmentation::Command& command, std::optional<std::uint8_t> viaGroup)
{
    namespace fr = fragmentation;
    const bool v2 = m_config.fragVersion == fr::Version::V2;
    if (std::holds_alternative<fr::PackageVersionReq>(command)) {
        queue(fr::kPort, fr::Command{fr::PackageVersionAns{fr::kPackageIdentifier, std::uint8_t(m_config.fragVersion)}});
    } else if (auto* req = std::get_if<fr::FragSessionStatusReq>(&command)) {
        const auto& s = m_sessions[req->fragIndex];
        if (!s) {
            if (v2) {
                fr::FragSessionStatusAns ans;
                ans.fragIndex = req->fragIndex;
                ans.sessionDoesNotExist = true;
                queue(fr::kPort, fr::Command{ans});
            }
            refuse(Error::plain(QStringLiteral("FragSessionStatusReq for session %1, which is not set up%2")
                                    .arg(req->fragIndex).arg(v2 ? QStringLiteral(" (SessionDoesNotExist sent)") : QStringLiteral(": no answer"))));
            return;
        }
        if (!req->allParticipants && s->decoder.isComplete()) {
            log(Event::Kind::Command, QStringLiteral("FragSessionStatusReq session %1: complete, only devices missing fragments answer").arg(req->fragIndex));
            return;
        }
        const FragDecoder::Status st = s->decoder.status();
        fr::FragSessionStatusAns ans;
        ans.fragIndex = req->fragIndex;
        ans.nbFragReceived = std::uint16_t(std::min<std::uint32_t>(st.received, 0x3fff));
        ans.missingFrag = std::uint8_t(std::min<std::uint32_t>(st.missing, 255));
        ans.micError = v2 && s->verifier.reassembled() && !s->verifier.micMatches();
        queue(fr::kPort, fr::Command{ans});
    } else if (auto* setup = std::get_if<fr::FragSessionSetupReq>(&command)) {
        onFragSessionSetup(*setup);
    } else if (auto* del = std::get_if<fr::FragSessionDeleteReq>(&command)) {
        const bool exists = bool(m_sessions[del->fragIndex]);
        if (exists) {
            m_sessions[del->fragIndex].reset();
            if (m_verifyingIndex == del->fragIndex)
                m_verifyingIndex.reset();
            log(Event::Kind::Command, QStringLiteral("FragSessionDeleteReq: session %1 deleted").arg(del->fragIndex));
            const bool anySession = std::any_of(m_sessions.begin(), m_sessions.end(), [](const auto& s) { return bool(s); });
            const bool anyGroup = std::any_of(m_groups.begin(), m_groups.end(), [](const auto& g) { return g.has_value(); });
            if (!anySession && (m_state == State::SessionSetUp || m_state == State::InSession || m_state == State::Reassembled
                                || m_state == State::Verifying))
                setState(anyGroup ? State::GroupSetUp : State::Idle, m_nowMs);
        } else {
            refuse(Error::plain(QStringLiteral("FragSessionDeleteReq for session %1, which is not set up").arg(del->fragIndex)));
        }
        queue(fr::kPort, fr::Command{fr::FragSessionDeleteAns{del->fragIndex, !exists}});
    } else if (auto* ans = std::get_if<fr::FragDataBlockReceivedAns>(&command)) {
        onDataBlockReceivedAns(*ans);
    } else if (auto* fragment = std::get_if<DataFragment>(&command)) {
        onDataFragment(*fragment, viaGroup);
    }
}

void FuotaDevice::onFragSessionSetup(const fragmentation::FragSessionSetupReq& req)
{
    namespace fr = fragmentation;
    const bool v2 = m_config.fragVersion == fr::Version::V2;
    fr::FragSessionSetupAns ans;
    ans.fragIndex = req.fragIndex;
    auto answer = [&] { queue(fr::kPort, fr::Command{ans}); };

    // A retry of the setup in force (its answer was lost): answer again, keep the session.
    if (const auto& current = m_sessions[req.fragIndex]; current && current->setup == req) {
        log(Event::Kind::Command, QStringLiteral("FragSessionSetupReq session %1 repeated: answered again, session kept").arg(req.fragIndex));
        answer();
        return;
    }
    const qint64 blockSize = qint64(req.nbFrag) * req.fragSize - req.padding;
    if (req.fragAlgo != 0) {
        ans.encodingUnsupported = true;
        refuse(Error::plain(QStringLiteral("FragSessionSetupReq refused: FragAlgo %1 is not supported (only 0, the TS004 parity code)").arg(req.fragAlgo)));
    }
    if (qint64(req.nbFrag) * req.fragSize > m_config.flashCapacity) {
        ans.notEnoughMemory = true;
        refuse(Error::plain(QStringLiteral("FragSessionSetupReq refused: the image (%1 B) does not fit the flash (%2 B)")
                                .arg(blockSize).arg(m_config.flashCapacity)));
    }
    if (v2 && m_lastSessionCnt && req.sessionCnt <= *m_lastSessionCnt) {
        ans.sessionCntReplay = true;
        refuse(Error::plain(QStringLiteral("FragSessionSetupReq refused: SessionCnt %1 is a replay (last accepted %2)")
                                .arg(req.sessionCnt).arg(*m_lastSessionCnt)));
    }
    if (!ans.ok()) {
        answer();
        return;
    }
    FragSessionShape shape;
    shape.fragmentCount = req.nbFrag;
    shape.fragmentSize = req.fragSize;
    shape.padding = req.padding;
    shape.version = v2 ? FecVersion::V2 : FecVersion::V1;
    auto decoder = FragDecoder::create(shape, m_config.maxLosses);
    if (!decoder) {
        ans.encodingUnsupported = true;
        refuse(Error::plain(QStringLiteral("FragSessionSetupReq refused: %1").arg(decoder.error().toString())));
        answer();
        return;
    }
    const DataBlockVerifier verifier(m_config.genAppKey, fuotaIntegritySession(req, m_config.fragVersion),
                                     fuotaExpectedMic(req, m_config.fragVersion));
    m_sessions[req.fragIndex] = std::make_unique<Session>(Session{req, std::move(*decoder), verifier, false});
    if (m_verifyingIndex == req.fragIndex)
        m_verifyingIndex.reset();
    if (v2)
        m_lastSessionCnt = req.sessionCnt;
    log(Event::Kind::Command, QStringLiteral("FragSessionSetupReq: session %1 set up, %2 fragments of %3 B (data block %4 B, "
                                             "padding %5), TS004 v%6, groups mask 0x%7, expected MIC %8")
                                  .arg(req.fragIndex).arg(req.nbFrag).arg(req.fragSize).arg(blockSize).arg(req.padding)
                                  .arg(int(m_config.fragVersion)).arg(req.mcGroupBitMask, 0, 16)
                                  .arg(micHex(fuotaExpectedMic(req, m_config.fragVersion))));
    if (m_state != State::InSession)
        setState(State::SessionSetUp, m_nowMs);
    answer();
}

void FuotaDevice::onDataFragment(const DataFragment& fragment, std::optional<std::uint8_t> viaGroup)
{
    Session* s = m_sessions[fragment.fragIndex].get();
    if (!s) {
        refuse(Error::plain(QStringLiteral("fragment %1 for session index %2, but session %2 is not set up")
                                .arg(fragment.counter).arg(fragment.fragIndex)));
        return;
    }
    if (viaGroup && !(s->setup.mcGroupBitMask & (1u << *viaGroup))) {
        refuse(Error::plain(QStringLiteral("fragment %1 for session %2 arrived on multicast group %3, which the session's "
                                           "McGroupBitMask 0x%4 does not include")
                                .arg(fragment.counter).arg(fragment.fragIndex).arg(*viaGroup).arg(s->setup.mcGroupBitMask, 0, 16)));
        return;
    }
    if (s->reassembled)
        return;  // the rest of the stream after decoding: nothing to do
    const FragDecoder::Status st = s->decoder.add(fragment.counter, fragment.payload);
    switch (st.state) {
    case FragDecoder::State::Incomplete:
        return;
    case FragDecoder::State::Rejected:
        refuse(Error::plain(QStringLiteral("fragment %1 of session %2 refused: %3").arg(fragment.counter).arg(fragment.fragIndex).arg(st.reason)));
        return;
    case FragDecoder::State::TooManyLosses:
        refuse(Error::plain(QStringLiteral("parity fragment %1 of session %2 refused: %3 fragments missing, the decoder has memory for %4")
                                .arg(fragment.counter).arg(fragment.fragIndex).arg(st.losses).arg(st.maxLosses)));
        return;
    case FragDecoder::State::Complete:
        onReassembled(fragment.fragIndex);
        return;
    }
}

void FuotaDevice::onReassembled(std::uint8_t fragIndex)
{
    Session& s = *m_sessions[fragIndex];
    s.reassembled = true;
    m_reassembled = s.decoder.data();
    const auto report = s.verifier.onReassembled(m_reassembled);
    log(Event::Kind::Command, QStringLiteral("session %1 reassembled: %2 B from %3 frames, data-block MIC %4 (expected %5)")
                                  .arg(fragIndex).arg(m_reassembled.size()).arg(s.decoder.receivedCount())
                                  .arg(micHex(s.verifier.computedMic()), micHex(s.verifier.expectedMic())));
    setState(State::Reassembled, m_nowMs);
    queue(fragmentation::kPort, fragmentation::Command{report});
    if (report.micError) {
        m_verifyingIndex.reset();
        refuse(Error::plain(QStringLiteral("image MIC mismatch: the reassembled image is not what the server sent — not committed "
                                           "(session %1: computed %2, expected %3)")
                                .arg(fragIndex).arg(micHex(s.verifier.computedMic()), micHex(s.verifier.expectedMic()))));
        setState(State::Rejected, m_nowMs);
        return;
    }
    m_verifyingIndex = fragIndex;
}

void FuotaDevice::onDataBlockReceivedAns(const fragmentation::FragDataBlockReceivedAns& ans)
{
    Session* s = m_sessions[ans.fragIndex].get();
    if (!s || !s->verifier.reassembled()) {
        refuse(Error::plain(QStringLiteral("FragDataBlockReceivedAns for session %1, but no data block of session %1 was reported").arg(ans.fragIndex)));
        return;
    }
    if (!s->verifier.micMatches()) {
        refuse(Error::plain(QStringLiteral("FragDataBlockReceivedAns for session %1 ignored: the image MIC did not match — not committed").arg(ans.fragIndex)));
        return;
    }
    if (m_state == State::Committed && s->verifier.mayCommit()) {
        log(Event::Kind::Command, QStringLiteral("FragDataBlockReceivedAns for session %1 repeated: already committed").arg(ans.fragIndex));
        return;
    }
    if (m_state != State::Verifying || m_verifyingIndex != ans.fragIndex) {
        refuse(Error::plain(QStringLiteral("FragDataBlockReceivedAns for session %1 while %2: ignored").arg(ans.fragIndex).arg(stateName(m_state))));
        return;
    }
    auto acked = s->verifier.onAnswer(ans);
    if (!acked || !*acked) {
        refuse(Error::plain(QStringLiteral("FragDataBlockReceivedAns for session %1 not accepted%2")
                                .arg(ans.fragIndex).arg(acked ? QString() : QStringLiteral(": ") + acked.error().toString())));
        return;
    }
    FuotaDeviceContext context;
    context.runningImage = m_config.runningImage;
    context.trustedKey = m_config.trustedKey.isNull() ? nullptr : &m_config.trustedKey;
    context.flashCapacity = m_config.flashCapacity;
    context.requireSignature = m_config.requireSignature;
    context.acceptRaw = !m_config.requireSignature;
    auto image = unpackFuotaImage(m_reassembled, context);
    m_verifyingIndex.reset();
    if (!image) {
        refuse(Error::plain(QStringLiteral("image refused after the MIC check: %1 — not committed").arg(image.error().toString())));
        setState(State::Rejected, m_nowMs);
        return;
    }
    m_committed = std::move(*image);
    log(Event::Kind::Command, QStringLiteral("image committed: %1 B, SHA-256 %2").arg(m_committed.size()).arg(sha256Hex(sha256Of(m_committed))));
    setState(State::Committed, m_nowMs);
}

} // namespace otalab::core::lorawan
