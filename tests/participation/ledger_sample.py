"""A realistic Open Collective transactions export, for the ledger tests."""

# The columns of Open Collective's "Platform Default" transactions export (REST v2 names);
# fees are their own DEBIT rows since 2024, and DEBIT amounts are negative.
HEADER = (
    "datetime,id,shortId,shortGroup,description,type,kind,isRefund,isRefunded,shortRefundId,"
    "displayAmount,amount,paymentProcessorFee,netAmount,balance,currency,accountSlug,"
    "accountName,oppositeAccountSlug,oppositeAccountName,paymentMethodService,"
    "paymentMethodType,expenseType,expenseTags,payoutMethodType,merchantId,orderMemo"
)
ROWS = [
    "2026-01-05T10:12:00.000Z,5a1e7c0e-0001-4c55-9a8e-000000000001,5a1e7c0e,aa11bb22,"
    "Monthly financial contribution to Riverside,CREDIT,CONTRIBUTION,,,,€20.00 EUR,20.00,"
    "0.00,20.00,20.00,EUR,riverside,Riverside,ana-k,Ana K,STRIPE,CREDITCARD,,,,ch_1,",
    "2026-01-05T10:12:00.000Z,5a1e7c0e-0002-4c55-9a8e-000000000002,5a1e7c0f,aa11bb22,"
    "Payment processor fee,DEBIT,PAYMENT_PROCESSOR_FEE,,,,-€0.65 EUR,-0.65,0.00,-0.65,19.35,"
    "EUR,riverside,Riverside,stripe,Stripe,STRIPE,CREDITCARD,,,,ch_1,",
    "2026-02-14T09:00:00.000Z,5a1e7c0e-0003-4c55-9a8e-000000000003,5a1e7c10,cc33dd44,"
    "Camp kitchen: vegetables,DEBIT,EXPENSE,,,,-€84.10 EUR,-84.10,0.00,-84.10,-64.75,EUR,"
    'riverside,Riverside,ben-o,Ben O,,,RECEIPT,"summer-camp, food",BANK_ACCOUNT,,',
    "2026-02-20T18:30:00.000Z,5a1e7c0e-0004-4c55-9a8e-000000000004,5a1e7c11,ee55ff66,"
    "Financial contribution to Riverside,CREDIT,CONTRIBUTION,,,,€150.00 EUR,150.00,0.00,"
    "150.00,85.25,EUR,riverside,Riverside,guest-71,Guest,STRIPE,CREDITCARD,,,,ch_2,camp",
]


def export(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"
