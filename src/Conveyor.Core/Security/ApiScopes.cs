namespace Conveyor.Core.Security;

/// <summary>Parsing, printing and checking of <see cref="ApiScope"/> sets.</summary>
public static class ApiScopes
{
    /// <summary>The scopes in the order they are printed.</summary>
    public static IReadOnlyList<ApiScope> All { get; } = [ApiScope.Read, ApiScope.Produce, ApiScope.Work, ApiScope.Admin];

    /// <summary>True when <paramref name="held"/> allows a call that needs <paramref name="needed"/>: admin holds every scope.</summary>
    public static bool Grants(this ApiScope held, ApiScope needed) =>
        (held & ApiScope.Admin) != 0 || (held & needed) == needed;

    /// <summary>The lower-case name of one scope: <c>read</c>, <c>produce</c>, <c>work</c> or <c>admin</c>.</summary>
    public static string ToName(this ApiScope scope) => scope switch
    {
        ApiScope.Read => "read",
        ApiScope.Produce => "produce",
        ApiScope.Work => "work",
        ApiScope.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "not a single scope"),
    };

    /// <summary>A set as a comma-separated list, e.g. <c>produce,work</c>.</summary>
    public static string Format(ApiScope scopes) => string.Join(',', All.Where(s => (scopes & s) != 0).Select(s => s.ToName()));

    /// <summary>Parses <c>produce,work</c> (case-insensitive, spaces allowed); false on an unknown or empty list.</summary>
    public static bool TryParse(string? text, out ApiScope scopes)
    {
        scopes = ApiScope.None;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var scope = All.FirstOrDefault(s => string.Equals(s.ToName(), part, StringComparison.OrdinalIgnoreCase));
            if (scope == ApiScope.None)
            {
                scopes = ApiScope.None;
                return false;
            }

            scopes |= scope;
        }

        return scopes != ApiScope.None;
    }
}
