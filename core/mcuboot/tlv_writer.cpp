// SPDX-License-Identifier: Apache-2.0
#include "core/mcuboot/tlv_writer.h"

#include "core/common/bytes.h"

namespace otalab::core::mcuboot {

void TlvWriter::add(std::uint16_t type, const QByteArray& value)
{
    ByteWriter w(Endian::Little);
    w.u16(type).u16(std::uint16_t(value.size())).bytes(value);
    m_body += w.take();
}

QByteArray TlvWriter::bytes() const
{
    if (m_body.isEmpty())
        return {};
    ByteWriter w(Endian::Little);
    w.u16(m_magic).u16(std::uint16_t(m_body.size() + 4)).bytes(m_body);
    return w.take();
}

} // namespace otalab::core::mcuboot
