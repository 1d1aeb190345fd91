using System.Globalization;
using Conveyor.Core.Inputs;
using Conveyor.Core.Jobs;
using Xunit;

namespace Conveyor.Core.Tests;

public sealed class JobSpecValidatorTests
{
    private static readonly JobSpec Valid = new() { Type = "email.send" };

    public static TheoryData<string, JobSpec> Invalid() => new()
    {
        { "id", Valid with { Id = "" } },
        { "id", Valid with { Id = new string('i', InputLimits.IdLength + 1) } },
        { "id", Valid with { Id = "has space" } },
        { "id", Valid with { Id = "tab\tinside" } },
        { "id", Valid with { Id = "nl\n" } },
        { "id", Valid with { Id = "a/b" } },
        { "id", Valid with { Id = "a?b" } },
        { "id", Valid with { Id = "100%" } },
        { "id", Valid with { Id = "ünïcode" } },
        { "queue", Valid with { Queue = "" } },
        { "queue", Valid with { Queue = new string('q', InputLimits.QueueLength + 1) } },
        { "queue", Valid with { Queue = "a b" } },
        { "queue", Valid with { Queue = "nul\u0000" } },
        { "type", Valid with { Type = "" } },
        { "type", Valid with { Type = new string('t', InputLimits.TypeLength + 1) } },
        { "type", Valid with { Type = "Email Send" } },
        { "priority", Valid with { Priority = JobDefaults.MinPriority - 1 } },
        { "priority", Valid with { Priority = JobDefaults.MaxPriority + 1 } },
        { "max_attempts", Valid with { MaxAttempts = 0 } },
        { "max_attempts", Valid with { MaxAttempts = JobDefaults.MaxAttemptsLimit + 1 } },
        { "lease_seconds", Valid with { LeaseSeconds = 0 } },
        { "lease_seconds", Valid with { LeaseSeconds = JobDefaults.MaxLeaseSeconds + 1 } },
        { "unique_key", Valid with { UniqueKey = "", UniqueForSeconds = 60 } },
        { "unique_key", Valid with { UniqueKey = new string('k', InputLimits.UniqueKeyLength + 1), UniqueForSeconds = 60 } },
        { "unique_for_seconds", Valid with { UniqueKey = "k", UniqueForSeconds = -1 } },
        { "unique_for_seconds", Valid with { UniqueForSeconds = 60 } },
        { "unique_until", Valid with { UniqueMode = UniqueMode.UntilStarted } },
        { "unique_until", Valid with { UniqueKey = "k", UniqueMode = (UniqueMode)3 } },
        { "timeout_seconds", Valid with { TimeoutSeconds = 0 } },
        { "timeout_seconds", Valid with { TimeoutSeconds = JobDefaults.MaxLeaseSeconds + 1 } },
        { "unique_for_seconds", Valid with { UniqueKey = "k", UniqueForSeconds = JobDefaults.MaxUniqueForSeconds + 1 } },
        { "tags", Valid with { Tags = Enumerable.Repeat("t", InputLimits.Tags + 1).ToList() } },
        { "tags", Valid with { Tags = [new string('t', InputLimits.TagLength + 1)] } },
        { "meta", Valid with { Meta = Enumerable.Range(0, InputLimits.MetaEntries + 1).ToDictionary(i => $"k{i}", _ => "v") } },
        { "meta", Valid with { Meta = new Dictionary<string, string> { [""] = "v" } } },
        { "meta", Valid with { Meta = new Dictionary<string, string> { [new string('k', InputLimits.MetaKeyLength + 1)] = "v" } } },
        { "meta", Valid with { Meta = new Dictionary<string, string> { ["k"] = new string('v', InputLimits.MetaValueLength + 1) } } },
        { "args", Valid with { Args = new byte[InputLimits.ArgsBytes + 1] } },
    };

    [Fact]
    public void Validate_EveryCharacterInAName_RefusedExactlyWhenNotPrintable()
    {
        // Names are scanned for characters outside printable ASCII first; what is refused must still be exactly the
        // controls, format characters (bidi, zero-width), separators and lone surrogates, for all 65,536 UTF-16 code
        // units; queues and types refuse spaces too, tags and meta keys do not.
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = (char)i;
            var name = $"a{c}b";
            var category = char.GetUnicodeCategory(c);
            var unprintable = category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate;
            var refused = unprintable || category == UnicodeCategory.SpaceSeparator;

            Assert.Equal(refused ? "queue" : null, JobSpecValidator.Validate(Valid with { Queue = name })?.Field);
            Assert.Equal(refused ? "type" : null, JobSpecValidator.Validate(Valid with { Type = name })?.Field);
            Assert.Equal(unprintable ? "tags" : null, JobSpecValidator.Validate(Valid with { Tags = [name] })?.Field);
            Assert.Equal(unprintable ? "meta" : null, JobSpecValidator.Validate(Valid with { Meta = new Dictionary<string, string> { [name] = "v" } })?.Field);
        }
    }

    public static TheoryData<string> Unprintable() =>
    [
        "\\u0000", "\\u001b", "\\u007f", "\\u0085", "\\u200b", "\\u200c", "\\u200d", "\\u200e", "\\u200f", "\\u202a", "\\u202b", "\\u202c",
        "\\u202d", "\\u202e", "\\u2060", "\\u2066", "\\u2067", "\\u2068", "\\u2069", "\\ufeff", "\\u2028", "\\u2029", "\\ud800", "\\udfff",
        "\\udb40\\udc01",
    ];

    [Theory]
    [MemberData(nameof(Unprintable))]
    public void Validate_ControlBidiZeroWidthOrLoneSurrogate_RefusedInEveryName(string escaped)
    {
        var bad = System.Text.RegularExpressions.Regex.Unescape(escaped);
        var name = $"pay{bad}ments";

        Assert.Equal(new[] { "queue", "type", "tags", "meta" }, new[]
        {
            JobSpecValidator.Validate(Valid with { Queue = name }),
            JobSpecValidator.Validate(Valid with { Type = name }),
            JobSpecValidator.Validate(Valid with { Tags = [name] }),
            JobSpecValidator.Validate(Valid with { Meta = new Dictionary<string, string> { [name] = "v" } }),
        }.Select(e => e?.Field));
    }

    [Fact]
    public void Validate_NamesOutsideAscii_Accepted()
    {
        // Letters of any script, symbols and emoji (a surrogate pair) are printable.
        Assert.Null(JobSpecValidator.Validate(Valid with { Queue = "commandes-été", Type = "письмо.отправить", Tags = ["🚀 launch"] }));
    }

    [Fact]
    public void Validate_BidiOverride_DetailNamesTheCodePoint()
    {
        var error = JobSpecValidator.Validate(Valid with { Queue = "invoice\u202Efdp.exe" });

        Assert.Equal("queue", error?.Field);
        Assert.Contains("U+202E", error?.Message, StringComparison.Ordinal);
        Assert.False(error?.TooLarge);
    }

    [Fact]
    public void Validate_EveryCharacterInAnId_AcceptedExactlyWhenUrlSafe()
    {
        // Ids go into URL paths: only ASCII letters, digits and - _ . : pass, for all 65,536 UTF-16 code units.
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = (char)i;
            var accepted = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':';
            var error = JobSpecValidator.Validate(Valid with { Id = $"a{c}b" });

            Assert.Equal(accepted ? null : "id", error?.Field);
        }
    }

    [Fact]
    public void Validate_IdWithSlash_NamesTheAllowedCharacters()
    {
        var error = JobSpecValidator.Validate(Valid with { Id = "a/b" });

        Assert.Equal(new JobSpecError("id", "must contain only ASCII letters, digits and - _ . :"), error);
    }

    [Fact]
    public void Validate_GeneratedId_Accepted()
    {
        Assert.Null(JobSpecValidator.Validate(Valid with { Id = JobIdGenerator.NewId(DateTimeOffset.UnixEpoch.AddYears(56)) }));
    }

    public static TheoryData<JobSpec> AtBounds() => new()
    {
        Valid,
        Valid with { Id = "x" },
        Valid with { Id = new string('i', InputLimits.IdLength) },
        Valid with { Id = "01JEXAMPLE0000000000000000" },
        Valid with { Id = "5f1b0c9e8d7a6b5c4d3e2f1a" },
        Valid with { Id = "3b241101-e2bb-4255-8caf-4136c566a962" },
        Valid with { Id = "Zk9-_xQ2aB3cD4eF" },
        Valid with { Id = "order:2026.12_07-a" },
        Valid with { Queue = "q" },
        Valid with { Queue = new string('q', InputLimits.QueueLength) },
        Valid with { Type = new string('t', InputLimits.TypeLength) },
        Valid with { Priority = JobDefaults.MinPriority },
        Valid with { Priority = JobDefaults.MaxPriority },
        Valid with { MaxAttempts = 1 },
        Valid with { MaxAttempts = JobDefaults.MaxAttemptsLimit },
        Valid with { LeaseSeconds = 1 },
        Valid with { LeaseSeconds = JobDefaults.MaxLeaseSeconds },
        Valid with { UniqueKey = "k", UniqueForSeconds = 1 },
        Valid with { UniqueKey = new string('k', InputLimits.UniqueKeyLength), UniqueForSeconds = JobDefaults.MaxUniqueForSeconds },
        Valid with { UniqueForSeconds = 0 },
        Valid with { UniqueKey = "k" },
        Valid with { UniqueKey = "k", UniqueMode = UniqueMode.UntilStarted },
        Valid with { UniqueKey = "k", UniqueMode = UniqueMode.UntilCompleted, UniqueForSeconds = 60 },
        Valid with { TimeoutSeconds = 1 },
        Valid with { TimeoutSeconds = JobDefaults.MaxLeaseSeconds },
        Valid with { Tags = Enumerable.Repeat(new string('t', InputLimits.TagLength), InputLimits.Tags).ToList() },
        Valid with { Tags = [""] },
        Valid with { Meta = Enumerable.Range(0, InputLimits.MetaEntries).ToDictionary(i => $"k{i}" + new string('k', InputLimits.MetaKeyLength - 4), _ => new string('v', InputLimits.MetaValueLength)) },
        Valid with { Meta = new Dictionary<string, string> { ["k"] = "" } },
        Valid with { Args = new byte[InputLimits.ArgsBytes] },
        Valid with { RunAt = DateTimeOffset.UnixEpoch },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_OutOfBounds_NamesField(string field, JobSpec spec)
    {
        var error = JobSpecValidator.Validate(spec);

        Assert.NotNull(error);
        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    public static TheoryData<string, JobSpec> OneOverTheLimit() => new()
    {
        { "id", Valid with { Id = new string('i', InputLimits.IdLength + 1) } },
        { "queue", Valid with { Queue = new string('q', InputLimits.QueueLength + 1) } },
        { "type", Valid with { Type = new string('t', InputLimits.TypeLength + 1) } },
        { "unique_key", Valid with { UniqueKey = new string('k', InputLimits.UniqueKeyLength + 1), UniqueForSeconds = 60 } },
        { "tags", Valid with { Tags = Enumerable.Repeat("t", InputLimits.Tags + 1).ToList() } },
        { "tags", Valid with { Tags = [new string('t', InputLimits.TagLength + 1)] } },
        { "meta", Valid with { Meta = Enumerable.Range(0, InputLimits.MetaEntries + 1).ToDictionary(i => $"k{i}", _ => "v") } },
        { "meta", Valid with { Meta = new Dictionary<string, string> { [new string('k', InputLimits.MetaKeyLength + 1)] = "v" } } },
        { "meta", Valid with { Meta = new Dictionary<string, string> { ["k"] = new string('v', InputLimits.MetaValueLength + 1) } } },
        { "args", Valid with { Args = new byte[InputLimits.ArgsBytes + 1] } },
    };

    [Theory]
    [MemberData(nameof(OneOverTheLimit))]
    public void Validate_OneOverASizeLimit_TooLargeNamingField(string field, JobSpec spec)
    {
        var error = JobSpecValidator.Validate(spec);

        Assert.Equal(field, error?.Field);
        Assert.True(error?.TooLarge);
    }

    [Fact]
    public void Validate_InvalidCharacters_NotTooLarge()
    {
        Assert.False(JobSpecValidator.Validate(Valid with { Queue = "a b" })?.TooLarge);
        Assert.False(JobSpecValidator.Validate(Valid with { Id = "a/b" })?.TooLarge);
        Assert.False(JobSpecValidator.Validate(Valid with { Queue = "" })?.TooLarge);
    }

    [Theory]
    [MemberData(nameof(AtBounds))]
    public void Validate_WithinBounds_Null(JobSpec spec)
    {
        Assert.Null(JobSpecValidator.Validate(spec));
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsFirstInFieldOrder()
    {
        var error = JobSpecValidator.Validate(Valid with { Queue = "", Priority = 0 });

        Assert.Equal("queue", error?.Field);
    }

    [Fact]
    public void Validate_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => JobSpecValidator.Validate(null!));
    }
}
