namespace Conveyor.Protocol.Faktory.Wire;

/// <summary>Which jobs a MUTATE touches; every given criterion must match.</summary>
public sealed class FaktoryMutateFilter
{
    public string? Jobtype { get; set; }

    public IReadOnlyList<string>? Jids { get; set; }

    /// <summary>A Redis SCAN-style glob (<c>*</c>, <c>?</c>, <c>[abc]</c>) matched against the job's JSON.</summary>
    public string? Regexp { get; set; }
}
