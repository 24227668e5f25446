#!/usr/bin/env python3
"""Creates the demo Tryton database (SQLite) the Tryton adapter's tests and demo book into.

Usage: setup_db.py --dir DIR --database NAME --chart CHART.json --password-file FILE [--years 2024-2027]

Runs trytond-admin to create the schema and activate the modules, then uses trytond's own Python API
(one transaction as root) to create the company, its currencies, fiscal years with monthly periods and
sequences, the chart of accounts, taxes, analytic accounts (one root per dimension group), vendors and
an admin user whose password is read from FILE. The chart comes from packages/demo-company/src/chart.ts (as JSON), so
the ledger and Tryton book against one chart. Idempotent: a stamp records what the database was built
from; when it matches, nothing is done.
"""
import argparse
import datetime
import hashlib
import json
import os
import subprocess
import sys
from decimal import Decimal

MODULES = ['account_invoice', 'analytic_invoice']
COMPANY_NAME = 'Pleo Demo AB'
# Rates per 1 EUR (Tryton stores rates relative to the company currency).
# (name, symbol, rate, decimals); CHF has no rate on purpose: items in it fail naming the missing rate.
CURRENCIES = {
    'EUR': ('Euro', '€', Decimal('1'), 2),
    'GBP': ('Pound Sterling', '£', Decimal('0.86'), 2),
    'USD': ('US Dollar', '$', Decimal('1.08'), 2),
    'SEK': ('Swedish Krona', 'kr', Decimal('11.5'), 2),
    'DKK': ('Danish Krone', 'kr', Decimal('7.46'), 2),
    'NOK': ('Norwegian Krone', 'kr', Decimal('11.6'), 2),
    'JPY': ('Yen', '¥', Decimal('160'), 0),
    'KWD': ('Kuwaiti Dinar', 'KD', Decimal('0.333'), 3),
    'CHF': ('Swiss Franc', 'Fr', None, 2),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--dir', required=True)
    parser.add_argument('--database', required=True)
    parser.add_argument('--chart', required=True)
    parser.add_argument('--password-file', required=True)
    parser.add_argument('--years', default='2024-2027')
    args = parser.parse_args()

    os.makedirs(args.dir, exist_ok=True)
    with open(args.chart, 'rb') as f:
        chart_bytes = f.read()
    with open(__file__, 'rb') as f:
        stamp = hashlib.sha256(f.read() + chart_bytes + args.years.encode()).hexdigest()
    db_file = os.path.join(args.dir, args.database + '.sqlite')
    stamp_file = db_file + '.stamp'
    if os.path.exists(db_file) and os.path.exists(stamp_file) and open(stamp_file).read() == stamp:
        print(json.dumps({'created': False, 'database': db_file}))
        return

    for path in (db_file, stamp_file):
        if os.path.exists(path):
            os.remove(path)
    conf = os.path.join(args.dir, 'setup.conf')
    with open(conf, 'w') as f:
        f.write('[database]\nuri = sqlite://\npath = %s\n' % args.dir)
    open(db_file, 'w').close()  # trytond's SQLite backend opens an existing file
    env = dict(os.environ, TRYTONPASSFILE=args.password_file)
    subprocess.run(
        # The trytond-admin beside this interpreter (the project's venv), not one found on PATH.
        [os.path.join(os.path.dirname(sys.executable), 'trytond-admin'), '-c', conf, '-d', args.database, '--all', '-u', *MODULES,
         '--activate-dependencies', '--email', 'admin@example.com'],
        check=True, env=env, stdin=subprocess.DEVNULL)

    import trytond.config
    trytond.config.update_etc(conf)
    from trytond.pool import Pool
    from trytond.transaction import Transaction, TransactionError
    Pool.start()
    pool = Pool(args.database)
    pool.init()
    first, last = (int(y) for y in args.years.split('-'))
    # Tryton asks for the tables it must lock by raising; like trytond-admin, start again with them.
    extras = {}
    while True:
        with Transaction().start(args.database, 0, context={'active_test': False}, **extras) as transaction:
            try:
                populate(pool, json.loads(chart_bytes), range(first, last + 1))
            except TransactionError as e:
                transaction.rollback()
                e.fix(extras)
                continue
            transaction.commit()
            break
    with open(stamp_file, 'w') as f:
        f.write(stamp)
    print(json.dumps({'created': True, 'database': db_file}))


def populate(pool, chart, years):
    get = pool.get
    Currency, Rate = get('currency.currency'), get('currency.currency.rate')
    Party, Company, User = get('party.party'), get('company.company'), get('res.user')
    Transaction = __import__('trytond.transaction', fromlist=['Transaction']).Transaction

    currencies = {}
    for code, (name, symbol, rate, digits) in CURRENCIES.items():
        currency, = Currency.create([{'name': name, 'code': code, 'symbol': symbol,
                                      'rounding': Decimal(1).scaleb(-digits), 'digits': digits}])
        if rate is not None:
            Rate.create([{'currency': currency.id, 'date': datetime.date(2000, 1, 1), 'rate': rate}])
        currencies[code] = currency
    company_party, = Party.create([{'name': COMPANY_NAME, 'addresses': [('create', [{}])]}])
    company, = Company.create([{'party': company_party.id, 'currency': currencies[chart['walletCurrency']].id}])
    admin, = User.search([('login', '=', 'admin')])
    User.write([admin], {'companies': [('add', [company.id])], 'company': company.id})

    with Transaction().set_context(company=company.id, user=admin.id):
        accounts = create_accounts(get, company, chart)
        create_periods(get, company, years)
        create_journals(get, company, chart)
        create_taxes(get, company, chart, accounts)
        create_analytic(get, company, chart)
        create_vendors(get, chart, accounts)
        Configuration = get('account.configuration')
        config = Configuration(1)
        config.default_account_payable = accounts[chart['defaultPayableAccount']]
        # Where Tryton books the rounding between a foreign invoice's converted lines and its total.
        config.currency_exchange_credit_account = accounts[chart['fxDifferenceAccount']]
        config.currency_exchange_debit_account = accounts[chart['fxDifferenceAccount']]
        config.save()


def create_accounts(get, company, chart):
    Type, Account = get('account.account.type'), get('account.account')
    def account_type(name, **flags):
        statement = 'income' if flags.get('expense') or flags.get('revenue') else 'balance'
        record, = Type.create([{'name': name, 'statement': statement, 'company': company.id, **flags}])
        return record
    types = {
        'asset': account_type('Assets', assets=True),
        'liability': account_type('Liabilities'),
        'payable': account_type('Accounts payable', payable=True),
        'income': account_type('Revenue', revenue=True),
        'expense': account_type('Expenses', expense=True),
        'equity': account_type('Equity'),
    }
    root, = Account.create([{'name': 'Chart of accounts', 'company': company.id}])
    payables = set(chart['payableAccounts'])
    employee_accounts = set(chart['employeeAccounts'])
    accounts = {}
    for account in chart['accounts']:
        code = account['code']
        kind = 'payable' if code in payables else account.get('kind', 'expense')
        values = {
            'code': code, 'name': account.get('name') or code, 'company': company.id, 'parent': root.id,
            'type': types[kind].id,
        }
        if code in payables or code in employee_accounts:
            values.update(reconcile=True, party_required=True)
        accounts[code], = Account.create([values])
    return accounts


def create_periods(get, company, years):
    SequenceStrict, SequenceType = get('ir.sequence.strict'), get('ir.sequence.type')
    FiscalYear, ModelData = get('account.fiscalyear'), get('ir.model.data')
    move_type = SequenceType(ModelData.get_id('account', 'sequence_type_account_move'))
    invoice_type = SequenceType(ModelData.get_id('account_invoice', 'sequence_type_account_invoice'))
    for year in years:
        post_sequence, = SequenceStrict.create([{'name': 'Posted moves %s' % year, 'sequence_type': move_type.id,
                                                'company': company.id, 'prefix': 'M%s-' % year}])
        in_invoice, in_credit, out_invoice, out_credit = SequenceStrict.create([
            {'name': '%s %s' % (name, year), 'sequence_type': invoice_type.id, 'company': company.id, 'prefix': prefix % year}
            for name, prefix in [('Supplier invoices', 'BILL%s-'), ('Supplier credit notes', 'BCN%s-'),
                                 ('Customer invoices', 'INV%s-'), ('Customer credit notes', 'CN%s-')]
        ])
        fiscal_year, = FiscalYear.create([{
            'name': str(year), 'company': company.id, 'move_sequence': post_sequence.id,
            'start_date': datetime.date(year, 1, 1), 'end_date': datetime.date(year, 12, 31),
            'invoice_sequences': [('create', [{
                'company': company.id, 'in_invoice_sequence': in_invoice.id, 'in_credit_note_sequence': in_credit.id,
                'out_invoice_sequence': out_invoice.id, 'out_credit_note_sequence': out_credit.id}])],
        }])
        FiscalYear.create_period([fiscal_year])


def create_journals(get, company, chart):
    """The journal codes the adapter is configured with (expense journal for bills; misc, payment)."""
    Journal = get('account.journal')
    existing = {j.code for j in Journal.search([])}
    for code, (name, kind) in chart['journals'].items():
        if code not in existing:
            Journal.create([{'name': name, 'code': code, 'type': kind}])


def create_taxes(get, company, chart, accounts):
    """Deductible input VAT as percentage taxes; reverse charge as a tax whose two children book the
    ingoing and the (equal, opposite) outgoing VAT. Each leaf tax gets a base and a tax code, which
    Tryton's tax report adds up (invoices plus, credit notes minus: the net per period)."""
    Tax, TaxCode = get('account.tax'), get('account.tax.code')
    for tax in chart['taxes']:
        common = {'company': company.id, 'type': 'percentage', 'rate': Decimal(tax['rate'])}
        if tax['type'] == 'reverse':
            Tax.create([{
                'name': tax['code'], 'description': tax['code'], 'company': company.id, 'type': 'none',
                'childs': [('create', [
                    {**common, 'name': tax['code'] + ' in', 'description': tax['code'] + ' ingoing',
                     'invoice_account': accounts[tax['ingoingTaxAccount']].id,
                     'credit_note_account': accounts[tax['ingoingTaxAccount']].id},
                    {**common, 'rate': -Decimal(tax['rate']), 'name': tax['code'] + ' out',
                     'description': tax['code'] + ' outgoing',
                     'invoice_account': accounts[tax['outgoingTaxAccount']].id,
                     'credit_note_account': accounts[tax['outgoingTaxAccount']].id},
                ])],
            }])
        else:
            Tax.create([{**common, 'name': tax['code'], 'description': tax['code'],
                         'invoice_account': accounts[tax['account']].id,
                         'credit_note_account': accounts[tax['account']].id}])
    for leaf in Tax.search([('company', '=', company.id), ('type', '=', 'percentage')]):
        for amount in ('base', 'tax'):
            TaxCode.create([{
                'name': '%s %s' % (leaf.name, amount), 'code': '%s-%s' % (leaf.name.replace(' ', '-'), amount),
                'company': company.id,
                'lines': [('create', [{'tax': leaf.id, 'amount': amount, 'type': 'invoice', 'operator': '+'},
                                      {'tax': leaf.id, 'amount': amount, 'type': 'credit', 'operator': '-'}])],
            }])


def create_analytic(get, company, chart):
    """One analytic root per dimension group (Tryton's way to keep axes apart), its values beneath."""
    Analytic = get('analytic_account.account')
    for group, values in chart['dimensions'].items():
        root, = Analytic.create([{'name': group, 'code': group, 'type': 'root', 'company': company.id}])
        Analytic.create([{'name': value, 'code': value, 'type': 'normal', 'company': company.id,
                          'root': root.id, 'parent': root.id} for value in values])


def create_vendors(get, chart, accounts):
    Party = get('party.party')
    for vendor in chart['vendors']:
        values = {'name': vendor['name'], 'code': vendor['code'], 'addresses': [('create', [{}])]}
        if vendor.get('taxRegistrationNumber'):
            values['identifiers'] = [('create', [{'type': None, 'code': vendor['taxRegistrationNumber']}])]
        party, = Party.create([values])
        if vendor.get('payableAccount'):
            party.account_payable = accounts[vendor['payableAccount']]
            party.save()


if __name__ == '__main__':
    sys.exit(main())
