from companies.managers import CompanyScopedQuerySet


class TaskQuerySet(CompanyScopedQuerySet):
    def offered_to(self, membership):
        """The tasks a person may track time on now: those currently in their sync scope."""
        if membership is None:
            return self.none()
        return self.filter(
            company=membership.company_id, assignments__membership=membership, assignments__is_active=True
        )


class TimeEntryQuerySet(CompanyScopedQuerySet):
    """Deleted entries stay in the table (`deleted_at` set) so that they can be restored: every
    query that counts or lists time starts from `.live()`."""

    def of(self, membership):
        if membership is None:
            return self.none()
        return self.filter(company=membership.company_id, membership=membership)

    def live(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)
