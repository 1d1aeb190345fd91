using System.Text;
using System.Text.RegularExpressions;

namespace Conveyor.Server.Faktory;

/// <summary>A Redis SCAN-style glob (<c>*</c>, <c>?</c>, <c>[...]</c>, <c>\x</c>) as MUTATE filters use it; matched without backtracking.</summary>
internal static class FaktoryGlob
{
    /// <summary>The longest glob: the non-backtracking engine's automaton grows with the pattern.</summary>
    public const int MaxLength = 1024;

    /// <summary>The glob as an anchored regular expression; a glob no expression can be made of (<c>[z-a]</c>) is a client error naming <paramref name="field"/>.</summary>
    public static Regex ToRegex(string glob, string field)
    {
        if (glob.Length > MaxLength)
        {
            throw new FaktoryVerbException($"{field} is longer than {MaxLength} characters");
        }


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

        try
        {
            return new Regex(pattern.Append('$').ToString(), RegexOptions.NonBacktracking | RegexOptions.Singleline | RegexOptions.CultureInvariant);
        }
        catch (ArgumentException)
        {
            throw new FaktoryVerbException($"{field} is not a valid pattern (a character range out of order, or an unsupported set)");
        }
        catch (NotSupportedException)
        {
            throw new FaktoryVerbException($"{field} is not a valid pattern (a character range out of order, or an unsupported set)");
        }
    }

    private static string Escape(string set) => set.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal);
}
