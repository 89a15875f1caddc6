-- Whether the ledgers know an organisation for a party role (R-SCOPE: a bank, guarantor or
-- appraiser account must name one): one row, true when some loan names it in the role's column.
select count(*) > 0 as known
from loans
where case $role
          when 'bank' then bank
          when 'guarantor' then guarantor
          when 'appraiser' then appraiser
      end = $organisation
