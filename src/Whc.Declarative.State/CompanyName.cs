using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.State;

/// <summary>Checks that a company name is safe to use as a file name and a database key.</summary>
public static class CompanyName
{
    public static void Validate(string company)
    {
        ArgumentNullException.ThrowIfNull(company);
        var valid = company.Length is > 0 and <= 128
            && company[0] != '.'
            && company.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
        if (!valid)
        {
            throw new Core.State.StateException(
                DiagnosticCatalog.StateAddressInvalid.Code,
                $"'{company}' is not a valid company name for state (letters, digits, '-', '_', '.'; not starting with '.')");
        }
    }
}
