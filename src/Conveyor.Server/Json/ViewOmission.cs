namespace Conveyor.Server.Json;

/// <summary>When a <see cref="ViewMember{T}"/> at its default is left out of a view.</summary>
internal enum ViewOmission
{
    /// <summary>With a fetch's <c>omit_defaults</c> only; every reader of the full view sees it.</summary>
    WhenAsked,

    /// <summary>Always: a default that would only be noise on every job (<c>dead</c>: true), as the serializer leaves it out too.</summary>
    Always,
}
