// SPDX-License-Identifier: Apache-2.0
#include "core/smp/image_send_check.h"

#include "core/image/inspection.h"

namespace otalab::core::smp {
namespace {

// The inspector's first error finding ("field at offset N (0xN): message"), or the
// detail of the badge that says invalid when no finding does.
QString firstProblem(const image::Inspection& inspection)
{
    if (const image::Finding* f = inspection.firstError())
        return Error::at(f->offset, f->field, f->message).toString();
    const std::pair<const char*, const image::Badge*> badges[] = {
        {"integrity", &inspection.integrity}, {"signature", &inspection.signature}, {"encryption", &inspection.encryption}};
    for (const auto& [name, badge] : badges)
        if (badge->state == image::CheckState::Invalid)
            return QStringLiteral("%1: %2").arg(QLatin1String(name), badge->detail);
    return QStringLiteral("the image is invalid");
}

} // namespace

Result<void> checkImageToSend(const QByteArray& file)
{
    const image::Inspection inspection = image::inspect(file, {});
    const QString tail = QStringLiteral("; nothing was sent to the board");
    if (inspection.format != image::Format::Mcuboot)
        return fail(QStringLiteral("not an MCUboot image (%1), so the board's MCUboot cannot take it%2")
                        .arg(inspection.format == image::Format::Unknown ? firstProblem(inspection) : inspection.formatName, tail));
    if (inspection.isValid())
        return {};
    return fail(QStringLiteral("image inspect calls it INVALID: %1%2").arg(firstProblem(inspection), tail));
}

} // namespace otalab::core::smp
