namespace Conveyor.Server.Json;

/// <summary>How a hand-written view writes one member of <typeparamref name="T"/>, and when it leaves it out.</summary>
/// <param name="Write">Appends the value.</param>
/// <param name="IsDefault">True when the value is the member's documented default (what a reader takes as given when it is missing); null for a member always written.</param>
/// <param name="Omit">When a member at its default is left out.</param>
internal sealed record ViewMember<T>(ViewMemberWriter<T> Write, Func<T, bool>? IsDefault = null, ViewOmission Omit = ViewOmission.WhenAsked);
