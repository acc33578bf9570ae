"""Callback data shared by more than one layer.

The scheduler sends buttons that the handlers answer; the constant lives here, below
both, so that neither imports the other for it.
"""

CB_START_FOR_CELL = "v:go:"  # + cell id: «📝 Báo cáo ngay» on a reminder opens the visit report
CB_MATERIAL_RECEIVED = "tl:ok:"  # + material id + ":" + cell id: «✅ Đã nhận» on a material sent to a cell
