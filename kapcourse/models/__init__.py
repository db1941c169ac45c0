"""Typed SQLAlchemy models, one file per aggregate; importing this registers every table."""
from .user import User, Role  # noqa: F401
from .content import ModuleVersion, BundleVersion  # noqa: F401
from .learning import Enrolment, LessonCompletion  # noqa: F401
from .ratelimit import RateLimitHit  # noqa: F401
from .audit import AuditEvent  # noqa: F401
from .lti import LtiRegistration, LtiDeployment, LtiToolKey, LtiPlatformKeySet, LtiLoginState, LtiIdentity, LtiLaunch, LtiScore, LtiAccessToken  # noqa: F401
from .vignette import VignetteRun, VignetteStep  # noqa: F401
from .certificate import Certificate, CourseEvaluation  # noqa: F401
from .quiz import QuizAttempt, AttemptItem  # noqa: F401
