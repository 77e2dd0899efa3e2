"""Reports for the Kepala Dinas (contract section 9): the monthly report, XLSX and PDF."""
