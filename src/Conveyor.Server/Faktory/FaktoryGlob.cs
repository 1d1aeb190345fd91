using System.Text;
using System.Text.RegularExpressions;

namespace Conveyor.Server.Faktory;

/// <summary>A Redis SCAN-style glob (<c>*</c>, <c>?</c>, <c>[...]</c>, <c>\x</c>) as MUTATE filters use it; matched without backtracking.</summary>
internal static class FaktoryGlob
{
    public static Regex ToRegex(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*':
                    pattern.Append(".*");
                    break;
                case '?':
                    pattern.Append('.');
                    break;
                case '\\' when i + 1 < glob.Length:
                    pattern.Append(Regex.Escape(glob[++i].ToString()));
                    break;
                case '[' when glob.IndexOf(']', i + 1) is > 0 and var end:
                    var set = glob[(i + 1)..end];
                    pattern.Append('[').Append(set.StartsWith('^') ? "^" + Escape(set[1..]) : Escape(set)).Append(']');
                    i = end;
                    break;
                default:
                    pattern.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.NonBacktracking | RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    private static string Escape(string set) => set.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal);
}
