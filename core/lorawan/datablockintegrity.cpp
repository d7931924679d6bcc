// SPDX-License-Identifier: Apache-2.0
#include "core/lorawan/datablockintegrity.h"

namespace otalab::core::lorawan {

DataBlockMic serverDataBlockMic(const AesKey& rootKey, const DataBlockSession& session, QByteArrayView dataBlock)
{
    return fragmentation::dataBlockMic(fragmentation::dataBlockIntKey(rootKey), session.sessionCnt, session.fragIndex,
                                       session.descriptor, dataBlock);
}

DataBlockVerifier::DataBlockVerifier(const AesKey& rootKey, const DataBlockSession& session,
                                     const DataBlockMic& expectedMic)
    : m_intKey(fragmentation::dataBlockIntKey(rootKey)), m_session(session), m_expected(expectedMic)
{
}

fragmentation::FragDataBlockReceivedReq DataBlockVerifier::onReassembled(QByteArrayView image)
{
    m_computed = fragmentation::dataBlockMic(m_intKey, m_session.sessionCnt, m_session.fragIndex, m_session.descriptor,
                                             image);
    m_micMatches = m_computed == m_expected;
    m_reassembled = true;
    m_acknowledged = false;
    return fragmentation::FragDataBlockReceivedReq{m_session.fragIndex, !m_micMatches};
}

Result<bool> DataBlockVerifier::onAnswer(const fragmentation::FragDataBlockReceivedAns& answer)
{
    if (!m_reassembled)
        return fail(Error::at(-1, QStringLiteral("FragDataBlockReceivedAns"),
                              QStringLiteral("answer before the data block was reassembled (nothing was reported)")));
    if (answer.fragIndex != m_session.fragIndex)
        return fail(Error::at(-1, QStringLiteral("FragDataBlockReceivedAns.FragIndex"),
                              QStringLiteral("%1: this session is FragIndex %2").arg(answer.fragIndex).arg(m_session.fragIndex)));
    m_acknowledged = true;
    return mayCommit();
}

} // namespace otalab::core::lorawan
